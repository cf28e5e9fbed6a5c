import type { HookDelivery } from "../../../src/redelivery/github-target";
import { planRedeliveries } from "../../../src/redelivery/redeliver";

let nextId = 1;
const attempt = (guid: string, status_code: number, minute: number): HookDelivery => ({
  id: nextId++,
  guid,
  delivered_at: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  redelivery: false,
  status: "",
  status_code,
  event: "push",
});

test("picks the latest attempt of each delivery whose attempts all failed, newest first", () => {
  const a1 = attempt("a", 500, 1);
  const a2 = attempt("a", 0, 5);
  const b1 = attempt("b", 404, 3);

  expect(planRedeliveries([a2, b1, a1])).toEqual({
    redeliver: [a2, b1],
    recovered: [],
    exhausted: [],
    guids: 2,
  });
});

test("skips a delivery that succeeded on a later attempt, and one that never failed", () => {
  const plan = planRedeliveries([attempt("a", 500, 1), attempt("a", 202, 2), attempt("b", 200, 1)]);

  expect(plan).toEqual({ redeliver: [], recovered: ["a"], exhausted: [], guids: 2 });
});

test("any 2xx counts as success; 3xx and 1xx do not", () => {
  const redirect = attempt("r", 301, 1);
  const plan = planRedeliveries([redirect, attempt("s", 299, 1), attempt("t", 204, 1)]);

  expect(plan.redeliver).toEqual([redirect]);
});

test("gives up on a delivery with maxAttempts failed attempts", () => {
  const attempts = [attempt("x", 500, 1), attempt("x", 500, 2), attempt("x", 500, 3)];

  expect(planRedeliveries(attempts, { maxAttempts: 3 }).exhausted).toEqual(["x"]);
  expect(planRedeliveries(attempts, { maxAttempts: 4 }).redeliver).toEqual([attempts[2]]);
});

test("ties on delivered_at go to the higher attempt id", () => {
  const first = attempt("t", 500, 7);
  const second = attempt("t", 500, 7);

  expect(planRedeliveries([second, first]).redeliver).toEqual([second]);
});
