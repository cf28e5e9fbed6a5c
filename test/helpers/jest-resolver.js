// Jest resolves with the "require" condition; packages that only export "import" are
// retried with it (they are compiled to CommonJS by the transform in jest.config.js).
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    if (request.startsWith(".") || request.startsWith("/")) throw error;
    return options.defaultResolver(request, { ...options, conditions: ["import", "node", "default"] });
  }
};
