import { synthGateway } from "./support/synth";

/**
 * Replaces what changes with every build or checkout: asset content hashes (in paths and in
 * `source_code_hash`) and the absolute path of the local state file.
 *
 * @example
 * scrub('"source_code_hash": "C94476BA…"') // '"source_code_hash": "<hash>"'
 */
function scrub(text: string): string {
  return text
    .replace(/(assets\/[^/"]+\/)[0-9A-F]{32}(\/archive\.zip)/g, "$1<hash>$2")
    .replace(/("source_code_hash": )"[0-9A-F]{32}"/g, '$1"<hash>"')
    .replace(/("path": )"[^"]*(terraform\.[^"/]+\.tfstate)"/g, '$1"<root>/$2"');
}

describe("synthesized gateway", () => {
  it("matches the reviewed snapshot (asset hashes and local paths scrubbed)", () => {
    const { text } = synthGateway();
    const scrubbed = scrub(text);
    expect(scrubbed).not.toMatch(/[0-9A-F]{32}/);
    expect(scrubbed).not.toContain(process.cwd());
    expect(JSON.parse(scrubbed)).toMatchSnapshot();
  });
});
