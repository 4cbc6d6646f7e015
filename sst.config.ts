/// <reference path="./.sst/platform/config.d.ts" />
/**
 * Countersign on AWS. Production keeps its data on removal and refuses `sst remove`; other stages
 * clean up after themselves. Infrastructure lives in `stacks/`, one file per concern; stacks are
 * imported inside `run()` because SST's globals (`sst`, `aws`, `$app`) exist only there.
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
    const { storage } = await import("./stacks/storage.ts");
    const { email } = await import("./stacks/email.ts");
    const { secrets } = await import("./stacks/secrets.ts");
    const { settings, apiUrl } = await import("./stacks/settings.ts");
    const { taskFunctions, arnsOf } = await import("./stacks/functions.ts");
    const { orderSaga } = await import("./stacks/saga.ts");
    const { api } = await import("./stacks/api.ts");
    const { reminders } = await import("./stacks/cron.ts");
    const { router, dashboard } = await import("./stacks/web.ts");

    const config = readDeployConfig(process.env);
    const web = router();
    const base = {
      Table: storage().link,
      Email: email(config.sender).link,
      SigningKey: secrets().signingKey,
      Settings: settings(config),
      Api: apiUrl(web.url),
    };
    const saga = orderSaga({ functionArns: arnsOf(taskFunctions(base)) });
    const links = { ...base, OrderSaga: saga.link };
    const approvalApi = api({ links, stateMachineArn: saga.machine.arn, router: web });
    reminders({ links, stateMachineArn: saga.machine.arn });
    dashboard({ router: web, apiUrl: web.url });

    return {
      api: web.url,
      apiFunctionUrl: approvalApi.url,
      dashboard: web.url,
      stateMachineArn: saga.machine.arn,
    };
  },
});
