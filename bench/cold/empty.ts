/** Cold-start reference: an empty handler, to show what starting Node itself costs. */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
