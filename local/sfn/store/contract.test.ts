/**
 * The store contract: the SQLite store and the in-memory store answer every call the same way.
 * Each test runs against both.
 */
import { describe, expect, it } from "vitest";
import type { EngineEvent, HistoryEvent } from "../../asl/types.ts";
import { openStore, type StoreKind } from "./open-store.ts";
import type { AliasRow, ExecutionRow, StateMachineRow, VersionRow } from "./rows.ts";
import type { Store } from "./store.ts";

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

function machine(name: string, overrides: Partial<StateMachineRow> = {}): StateMachineRow {
  return {
    arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
    name,
    type: "STANDARD",
    definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
    role_arn: "arn:aws:iam::123456789012:role/r",
    description: null,
    created_ms: 1,
    updated_ms: null,
    revision: 1,
    revision_id: "rev-1",
    ...overrides,
  };
}

function execution(name: string, overrides: Partial<ExecutionRow> = {}): ExecutionRow {
  return {
    id: 0,
    arn: `arn:aws:states:us-east-1:123456789012:execution:m:${name}`,
    name,
    machine_arn: MACHINE,
    machine_type: "STANDARD",
    definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
    role_arn: "arn:aws:iam::123456789012:role/r",
    input: '{"n":1}',
    status: "RUNNING",
    output: null,
    error: null,
    cause: null,
    start_ms: 1000,
    stop_ms: null,
    seed: "00ff",
    version_arn: null,
    invoking: 0,
    ...overrides,
  };
}

function events(from: number, to: number): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let id = from; id <= to; id++) {
    out.push({
      id,
      previousEventId: id - 1,
      timestamp: 1000 + id,
      type: "PassStateEntered",
      stateEnteredEventDetails: {
        name: `S${id}`,
        input: JSON.stringify({ id, pad: "x".repeat(20) }),
      },
    });
  }
  return out;
}

/** Every id, reading pages of `limit` the way GetExecutionHistory does. */
function readAll(store: Store, execId: number, limit: number, reverse: boolean): number[] {
  const ids: number[] = [];
  let from = reverse ? Number.MAX_SAFE_INTEGER : 0;
  for (;;) {
    const page = store.steps.historyPage(execId, from, limit, reverse);
    ids.push(...page.map((e) => e.id));
    if (page.length < limit) return ids;
    from = (page[page.length - 1] as HistoryEvent).id;
  }
}

describe.each<StoreKind>(["sqlite", "memory"])("the %s store", (kind) => {
  const open = () => openStore({ kind });

  it("keeps state machines", async () => {
    const store = open();
    store.machines.insert(machine("b"));
    store.machines.insert(machine("a"));
    store.machines.update({ ...machine("b"), definition: "{}", revision: 2, updated_ms: 5 });

    expect(store.machines.list().map((m) => m.name)).toEqual(["a", "b"]);
    expect(store.machines.get(machine("b").arn)).toMatchObject({ definition: "{}", revision: 2 });
    expect(() => store.machines.insert(machine("a"))).toThrow();
    store.machines.delete(machine("a").arn);
    expect(store.machines.get(machine("a").arn)).toBeUndefined();
    await store.close();
    expect(store.isOpen).toBe(false);
  });

  it("numbers executions, updates what changes and lists newest first", async () => {
    const store = open();
    const rows = [
      execution("e1", { start_ms: 10 }),
      execution("e2", { start_ms: 30, version_arn: `${MACHINE}:1` }),
      execution("e3", { start_ms: 20, machine_arn: `${MACHINE}-other` }),
      execution("e4", { start_ms: 30 }),
    ];
    for (const row of rows) expect(store.executions.insert(row, [])).toBe(1);
    store.executions.update({
      ...(rows[0] as ExecutionRow),
      status: "SUCCEEDED",
      output: '{"ok":true}',
      stop_ms: 11,
      invoking: 0,
    });
    store.executions.update({ ...(rows[2] as ExecutionRow), invoking: 1 });

    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(store.executions.get(rows[0]?.arn ?? "")).toEqual({
      ...rows[0],
      status: "SUCCEEDED",
      output: '{"ok":true}',
      stop_ms: 11,
    });
    expect(store.executions.get("arn:aws:states:us-east-1:123456789012:execution:m:nope")).toBe(
      undefined,
    );
    const names = (filter: Parameters<Store["executions"]["list"]>[0]) =>
      store.executions.list(filter).map((r) => r.name);
    expect(names({ offset: 0, limit: 10 })).toEqual(["e4", "e2", "e3", "e1"]);
    expect(names({ offset: 1, limit: 2 })).toEqual(["e2", "e3"]);
    expect(names({ machineArn: MACHINE, offset: 0, limit: 10 })).toEqual(["e4", "e2", "e1"]);
    expect(names({ machineArn: `${MACHINE}:1`, offset: 0, limit: 10 })).toEqual(["e2"]);
    expect(names({ status: "SUCCEEDED", offset: 0, limit: 10 })).toEqual(["e1"]);
    expect(store.executions.invoking().map((r) => r.name)).toEqual(["e3"]);
    expect(() => store.executions.insert(execution("e1"), [])).toThrow();
    await store.close();
  });

  it("records steps: engine events in order, history paged both ways across chunks", async () => {
    const store = open();
    const row = execution("e");
    store.executions.insert(row, []);
    const stop: EngineEvent = { type: "stop", at: 4 };
    const fired: EngineEvent = { type: "timerFired", id: "timer-1", at: 5 };

    let next = store.steps.append(row.id, 0, undefined, events(1, 3));
    expect(next).toBe(1);
    next = store.steps.append(row.id, next, stop, events(4, 700));
    expect(next).toBe(4); // 697 events take three records
    next = store.steps.append(row.id, next, fired, []);
    next = store.steps.append(row.id, next, fired, events(701, 702));

    const all = Array.from({ length: 702 }, (_, i) => i + 1);
    for (const limit of [1, 7, 100, 256, 1000]) {
      expect(readAll(store, row.id, limit, false)).toEqual(all);
      expect(readAll(store, row.id, limit, true)).toEqual([...all].reverse());
    }
    expect(store.steps.historyPage(row.id, 255, 3, false).map((e) => e.id)).toEqual([
      256, 257, 258,
    ]);
    expect(store.steps.historyPage(row.id, 258, 3, true).map((e) => e.id)).toEqual([257, 256, 255]);
    expect(store.steps.historyPage(row.id, 0, 2, false)).toEqual(events(1, 2));
    expect(store.steps.events(row.id)).toEqual({ events: [stop, fired, fired], next: 6 });
    expect(store.steps.events(99)).toEqual({ events: [], next: 1 });
    expect(store.steps.historyPage(99, 0, 10, false)).toEqual([]);
    await store.close();
  });

  it("keeps a start record with its row, and a long one across the records after it", async () => {
    const store = open();
    const short = execution("short");
    const long = execution("long");
    expect(store.executions.insert(short, events(1, 3))).toBe(1);
    expect(store.executions.insert(long, events(1, 600))).toBe(3);
    const next = store.steps.append(long.id, 3, { type: "stop", at: 9 }, events(601, 602));

    expect(next).toBe(4);
    expect(readAll(store, short.id, 2, false)).toEqual([1, 2, 3]);
    expect(readAll(store, short.id, 2, true)).toEqual([3, 2, 1]);
    const all = Array.from({ length: 602 }, (_, i) => i + 1);
    for (const limit of [1, 100, 256, 1000]) {
      expect(readAll(store, long.id, limit, false)).toEqual(all);
      expect(readAll(store, long.id, limit, true)).toEqual([...all].reverse());
    }
    expect(store.steps.events(short.id)).toEqual({ events: [], next: 1 });
    expect(store.steps.events(long.id)).toEqual({ events: [{ type: "stop", at: 9 }], next: 4 });
    await store.close();
  });

  it("lists pending timers in firing order, a window at a time", async () => {
    const store = open();
    const a = execution("a");
    const b = execution("b");
    store.executions.insert(a, []);
    store.executions.insert(b, []);
    store.timers.arm(b.id, "timer-1", 50);
    store.timers.arm(a.id, "timer-2", 50);
    store.timers.arm(a.id, "timer-1", 10);
    store.timers.arm(a.id, "timer-3", 90);
    store.timers.arm(b.id, "timer-2", 70);
    store.timers.arm(b.id, "timer-2", 60); // re-armed: one timer, the new time

    const first = store.timers.after(undefined, 2);
    const rest = store.timers.after(first[first.length - 1], 10);

    const key = (t: { arn: string; timer_id: string; fire_at: number }) =>
      `${t.arn.slice(-1)}/${t.timer_id}@${t.fire_at}`;
    expect(first.map(key)).toEqual(["a/timer-1@10", "a/timer-2@50"]);
    expect(rest.map(key)).toEqual(["b/timer-1@50", "b/timer-2@60", "a/timer-3@90"]);
    expect(store.timers.of(a.id).map(key)).toEqual([
      "a/timer-1@10",
      "a/timer-2@50",
      "a/timer-3@90",
    ]);
    expect(store.timers.remove(a.id, "timer-2")).toBe(true);
    expect(store.timers.remove(a.id, "timer-2")).toBe(false);
    store.timers.removeAll(b.id);
    expect(store.timers.after(undefined, 10).map(key)).toEqual(["a/timer-1@10", "a/timer-3@90"]);
    await store.close();
  });

  it("keeps the tasks that wait for a token or a child", async () => {
    const store = open();
    const parent = execution("p");
    store.executions.insert(parent, []);
    const child = "arn:aws:states:us-east-1:123456789012:execution:c:1";
    const token = { exec_id: parent.id, task_id: "task-2", resource: "r:token", child_arn: null };
    const sync = { exec_id: parent.id, task_id: "task-1", resource: "r:sync", child_arn: child };
    store.waits.add(token);
    store.waits.add(sync);

    expect(store.waits.of(parent.id)).toEqual([sync, token]);
    expect(store.waits.onChild(child)).toEqual([{ ...sync, arn: parent.arn }]);
    expect(store.waits.withChildren()).toEqual([{ ...sync, arn: parent.arn }]);
    store.waits.remove(parent.id, "task-1");
    expect(store.waits.of(parent.id)).toEqual([token]);
    store.waits.removeAll(parent.id);
    expect(store.waits.of(parent.id)).toEqual([]);
    await store.close();
  });

  it("undoes a failed transaction whole, and a failed savepoint alone", async () => {
    const store = open();
    const kept = execution("kept");
    store.executions.insert(kept, []);
    store.steps.append(kept.id, 0, undefined, events(1, 1));
    store.timers.arm(kept.id, "timer-1", 5);

    expect(() =>
      store.transaction(() => {
        store.executions.insert(execution("lost"), []);
        store.executions.update({ ...kept, status: "FAILED" });
        store.steps.append(kept.id, 1, { type: "stop", at: 2 }, events(2, 2));
        store.timers.remove(kept.id, "timer-1");
        store.waits.add({ exec_id: kept.id, task_id: "t", resource: "r", child_arn: null });
        store.machines.insert(machine("lost"));
        throw new Error("undo all of it");
      }),
    ).toThrow("undo all of it");
    expect(store.executions.get(execution("lost").arn)).toBeUndefined();
    expect(store.executions.get(kept.arn)?.status).toBe("RUNNING");
    expect(store.steps.events(kept.id)).toEqual({ events: [], next: 1 });
    expect(readAll(store, kept.id, 10, false)).toEqual([1]);
    expect(store.timers.after(undefined, 10)).toHaveLength(1);
    expect(store.waits.of(kept.id)).toEqual([]);
    expect(store.machines.get(machine("lost").arn)).toBeUndefined();

    const inserted = execution("inserted");
    store.transaction(() => {
      store.executions.insert(inserted, []);
      expect(() =>
        store.savepoint(() => {
          store.timers.arm(kept.id, "timer-2", 6);
          throw new Error("undo this step only");
        }),
      ).toThrow("undo this step only");
      store.transaction(() => store.timers.arm(kept.id, "timer-3", 7)); // joins the outer one
    });
    expect(store.executions.get(inserted.arn)?.id).toBe(inserted.id);
    expect(store.timers.after(undefined, 10).map((t) => t.timer_id)).toEqual([
      "timer-1",
      "timer-3",
    ]);
    await store.close();
  });

  it("keeps local settings (time travel offset, mock test case) per execution, undone with a rollback", async () => {
    const store = open();
    const a = execution("a");
    const b = execution("b");
    store.executions.insert(a, []);
    store.executions.insert(b, []);
    store.localSettings.put({ exec_id: b.id, clock_offset_ms: 0, mock_test_case: "HappyPath" });
    store.localSettings.put({ exec_id: a.id, clock_offset_ms: 5, mock_test_case: null });
    store.localSettings.put({ exec_id: a.id, clock_offset_ms: 9, mock_test_case: null });

    expect(() =>
      store.transaction(() => {
        store.localSettings.put({ exec_id: a.id, clock_offset_ms: 99, mock_test_case: null });
        throw new Error("undo it");
      }),
    ).toThrow("undo it");
    expect(store.localSettings.all()).toEqual([
      { exec_id: a.id, clock_offset_ms: 9, mock_test_case: null },
      { exec_id: b.id, clock_offset_ms: 0, mock_test_case: "HappyPath" },
    ]);
    await store.close();
  });

  it("creates a meta value once", async () => {
    const store = open();
    expect(store.meta("secret", () => "first")).toBe("first");
    expect(store.meta("secret", () => "second")).toBe("first");
    expect(store.historiesToRebuild()).toEqual([]);
    await store.close();
  });
});

describe.each<StoreKind>(["sqlite", "memory"])(
  "the %s store's versions, aliases, extras",
  (kind) => {
    const A = machine("a").arn;
    const version = (n: number, overrides: Partial<VersionRow> = {}): VersionRow => ({
      arn: `${A}:${n}`,
      machine_arn: A,
      version: n,
      definition: "{}",
      role_arn: "r",
      description: null,
      created_ms: n,
      revision_id: `rev-${n}`,
      ...overrides,
    });
    const alias = (name: string, created: number): AliasRow => ({
      arn: `${A}:${name}`,
      machine_arn: A,
      name,
      description: null,
      routing: JSON.stringify([{ stateMachineVersionArn: `${A}:1`, weight: 100 }]),
      created_ms: created,
      updated_ms: created,
    });

    it("numbers versions without ever giving a number twice, and lists them newest first", () => {
      const store = openStore({ kind });
      for (const n of [1, 2, 3]) {
        expect(store.versions.takeNumber(A)).toBe(n);
        store.versions.insert(version(n));
      }
      store.versions.delete(`${A}:3`);

      expect(store.versions.takeNumber(A)).toBe(4);
      expect(store.versions.list(A).map((v) => v.version)).toEqual([2, 1]);
      expect(store.versions.get(`${A}:1`)?.revision_id).toBe("rev-1");
      expect(store.versions.get(`${A}:3`)).toBeUndefined();
      expect(store.versions.list(machine("b").arn)).toEqual([]);
      expect(() => store.versions.insert(version(2))).toThrow();
      store.versions.deleteAll(A);
      expect(store.versions.list(A)).toEqual([]);
      expect(store.versions.takeNumber(A)).toBe(1);
    });

    it("keeps aliases, oldest first, replaced by ARN", () => {
      const store = openStore({ kind });
      store.aliases.put(alias("prod", 2));
      store.aliases.put(alias("beta", 1));
      store.aliases.put({ ...alias("prod", 2), description: "now", updated_ms: 9 });

      expect(store.aliases.list(A).map((a) => a.name)).toEqual(["beta", "prod"]);
      expect(store.aliases.get(`${A}:prod`)).toEqual({
        ...alias("prod", 2),
        description: "now",
        updated_ms: 9,
      });
      store.aliases.delete(`${A}:beta`);
      expect(store.aliases.list(A).map((a) => a.name)).toEqual(["prod"]);
      store.aliases.deleteAll(A);
      expect(store.aliases.get(`${A}:prod`)).toBeUndefined();
    });

    it("keeps an execution's alias and counts its redrives", () => {
      const store = openStore({ kind });
      store.extras.setAlias(7, `${A}:prod`);
      store.extras.redriven(7, 100);
      store.extras.redriven(7, 200);
      store.extras.redriven(8, 300);

      expect(store.extras.get(7)).toEqual({
        exec_id: 7,
        alias_arn: `${A}:prod`,
        redrive_count: 2,
        redrive_ms: 200,
      });
      expect(store.extras.get(8)).toEqual({
        exec_id: 8,
        alias_arn: null,
        redrive_count: 1,
        redrive_ms: 300,
      });
      expect(store.extras.get(9)).toBeUndefined();
    });

    it("undoes versions, aliases and extras with a failed transaction", () => {
      const store = openStore({ kind });
      store.versions.insert(version(1));
      expect(() =>
        store.transaction(() => {
          store.versions.takeNumber(A);
          store.versions.insert(version(2));
          store.versions.delete(`${A}:1`);
          store.aliases.put(alias("prod", 1));
          store.extras.redriven(1, 5);
          throw new Error("boom");
        }),
      ).toThrow("boom");

      expect(store.versions.list(A).map((v) => v.version)).toEqual([1]);
      expect(store.versions.takeNumber(A)).toBe(2);
      expect(store.aliases.list(A)).toEqual([]);
      expect(store.extras.get(1)).toBeUndefined();
    });
  },
);
