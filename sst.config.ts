/// <reference path="./.sst/platform/config.d.ts" />
/**
 * Countersign on AWS. Production keeps its data on removal and refuses `sst remove`; other stages
 * clean up after themselves. What runs is described once in stacks/topology.ts; the files in
 * `stacks/` build it, one per concern. They are imported inside `run()` because SST's globals
 * (`sst`, `aws`, `$app`) exist only there.
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "countersign",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
      // Pinned so `sst install` (CI's offline type-check) and deploys use the same provider.
      providers: { aws: { version: "7.20.0" } },
    };
  },
  async run() {
    const { readDeployConfig } = await import("./stacks/lib/deploy-config.ts");
    const { encryptionKey } = await import("./stacks/encryption.ts");
    const { storage } = await import("./stacks/storage.ts");
    const { CountersignApprovals } = await import("./stacks/approvals.ts");
    const { functions } = await import("./stacks/functions.ts");
    const { orderSaga, sagaIdentity } = await import("./stacks/saga.ts");
    const { alarms } = await import("./stacks/alarms.ts");
    const { router, dashboard } = await import("./stacks/web.ts");

    const config = readDeployConfig(process.env);
    const keyArn = config.kms ? encryptionKey().arn : undefined;
    const web = router();
    const data = storage({ keyArn });
    const saga = sagaIdentity("OrderSaga");
    const expenses = sagaIdentity("ExpenseApproval");
    // The approvals are the same component another app adds (stacks/approvals.ts), sharing this
    // app's table and router, answering the order saga's and the expense workflow's tasks.
    const approvals = new CountersignApprovals("Approvals", {
      approvers: config.approvers,
      sender: config.sender,
      operators: config.operators,
      approvalTimeoutSeconds: config.approvalTimeoutSeconds,
      settings: { approvalThreshold: config.approvalThreshold },
      callers: [saga.arn, expenses.arn],
      storage: data,
      router: web,
      orderSaga: {
        link: new sst.Linkable("OrderSaga", { properties: { arn: saga.arn } }),
        arn: saga.arn,
      },
      keyArn,
    });
    const fns = {
      ...functions({ links: approvals.links, arns: approvals.arns, keyArn }),
      RequestApproval: approvals.requestTask,
      Api: approvals.api,
    };
    const functionArns = Object.fromEntries(Object.entries(fns).map(([n, f]) => [n, f.arn]));
    const machine = orderSaga({ identity: saga, functionArns, keyArn });
    const expenseMachine = orderSaga({
      machine: "ExpenseApproval",
      identity: expenses,
      functionArns,
      keyArn,
    });
    alarms({
      stateMachineArn: machine.machine.arn,
      email: config.alarmEmail,
      reminders: {
        functionName: approvals.reminders.cron.nodes.function.name,
        deadLetterQueueName: approvals.reminders.deadLetters.name,
      },
    });
    dashboard({ router: web, apiUrl: web.url });

    // Written by SST to .sst/outputs.json after each deploy; `countersign --stage NAME` reads it,
    // and `stage` lets it refuse another stage's outputs.
    return {
      stage: $app.stage,
      api: web.url,
      apiFunctionUrl: approvals.api.url,
      dashboard: web.url,
      stateMachineArn: machine.machine.arn,
      expenseStateMachineArn: expenseMachine.machine.arn,
      requestApprovalArn: approvals.requestTaskArn,
      table: data.table.name,
      sender: config.sender,
    };
  },
});
