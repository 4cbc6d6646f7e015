/* Linked resources as SST declares them (SST rewrites this file on `sst deploy`/`sst dev` with
   the same shape). Kept in git so the offline type-check sees the links; stacks/links.test.ts
   checks it names exactly the resources functions/shared/resources.ts reads. */
/* deno-fmt-ignore-file */

import "sst";
export {};
declare module "sst" {
  export interface Resource {
    Api: {
      type: "sst.sst.Linkable";
      url: string;
    };
    Email: {
      configSet: string;
      sender: string;
      type: "sst.sst.Linkable";
    };
    OrderSaga: {
      arn: string;
      type: "sst.sst.Linkable";
    };
    Settings: {
      approvalThreshold: number;
      approvalTimeoutSeconds: number;
      approvers: string[];
      operators: string[];
      type: "sst.sst.Linkable";
    };
    SigningKey: {
      type: "sst.sst.Secret";
      value: string;
    };
    Table: {
      name: string;
      type: "sst.sst.Linkable";
    };
  }
}
