import { InvalidEventError } from "../../../src/contract/errors";
import { parseEventBody } from "../../../src/contract/parse-event";

const valid = {
  specversion: "1.0",
  id: "github:1",
  type: "com.github.push",
  source: "https://github.com/o/r",
  data: {},
};

test("a gateway event is returned as parsed", () => {
  expect(parseEventBody(JSON.stringify(valid))).toEqual(valid);
});

test.each([
  ["not JSON", "{", "invalid_event_not_json"],
  ["an array", "[]", "invalid_event_not_an_object"],
  ["null", "null", "invalid_event_not_an_object"],
  ["no id", JSON.stringify({ ...valid, id: undefined }), "invalid_event_missing_id"],
  ["an empty id", JSON.stringify({ ...valid, id: "" }), "invalid_event_missing_id"],
  ["a numeric id", JSON.stringify({ ...valid, id: 7 }), "invalid_event_missing_id"],
  ["no type", JSON.stringify({ ...valid, type: undefined }), "invalid_event_missing_type"],
  ["no source", JSON.stringify({ ...valid, source: undefined }), "invalid_event_missing_source"],
  ["a non-string dataref", JSON.stringify({ ...valid, dataref: 1 }), "invalid_event_bad_dataref"],
])("a body with %s is refused", (_name, body, code) => {
  expect(() => parseEventBody(body)).toThrow(InvalidEventError);
  expect(() => parseEventBody(body)).toThrow(expect.objectContaining({ code }));
});

test("__proto__ keys stay data and pollute nothing", () => {
  const event = parseEventBody(
    `{"id":"github:1","type":"t","source":"s","data":{"__proto__":{"polluted":1}}}`,
  );

  expect(Object.keys(event.data as object)).toEqual(["__proto__"]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
