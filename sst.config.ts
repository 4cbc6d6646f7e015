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
    const { email } = await import("./stacks/email.ts");
    const { secrets } = await import("./stacks/secrets.ts");
    const { settings, apiUrl } = await import("./stacks/settings.ts");
    const { functions } = await import("./stacks/functions.ts");
    const { orderSaga, sagaIdentity } = await import("./stacks/saga.ts");
    const { apiRoutes } = await import("./stacks/api.ts");
    const { schedules } = await import("./stacks/cron.ts");
    const { alarms } = await import("./stacks/alarms.ts");
    const { router, dashboard } = await import("./stacks/web.ts");

    const config = readDeployConfig(process.env);
    const keyArn = config.kms ? encryptionKey().arn : undefined;
    const web = router();
    const data = storage({ keyArn });
    const mail = email(config.sender);
    const saga = sagaIdentity();
    const links = {
      Table: data.link,
      Email: mail.link,
      SigningKey: secrets().signingKey,
      Settings: settings(config),
      Api: apiUrl(web.url),
      OrderSaga: new sst.Linkable("OrderSaga", { properties: { arn: saga.arn } }),
    };
    const arns = $resolve({
      table: data.table.arn,
      emailIdentity: mail.identityArn,
      emailConfigurationSet: mail.configurationSetArn,
      orderSaga: saga.arn,
      ...(keyArn ? { key: keyArn } : {}),
    });
    const fns = functions({ links, arns, keyArn });
    const machine = orderSaga({
      identity: saga,
      functionArns: Object.fromEntries(Object.entries(fns).map(([n, f]) => [n, f.arn])),
      keyArn,
    });
    apiRoutes({ api: fns.Api!, router: web });
    const [reminders] = schedules({ links, arns, keyArn });
    alarms({
      stateMachineArn: machine.machine.arn,
      email: config.alarmEmail,
      reminders: {
        functionName: reminders!.cron.nodes.function.name,
        deadLetterQueueName: reminders!.deadLetters.name,
      },
    });
    dashboard({ router: web, apiUrl: web.url });

    // Written by SST to .sst/outputs.json after each deploy; `countersign --stage NAME` reads it,
    // and `stage` lets it refuse another stage's outputs.
    return {
      stage: $app.stage,
      api: web.url,
      apiFunctionUrl: fns.Api!.url,
      dashboard: web.url,
      stateMachineArn: machine.machine.arn,
      table: data.table.name,
      sender: config.sender,
    };
  },
});
