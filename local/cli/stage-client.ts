/**
 * The CLI's client for a deployed stage: the AWS SDK with the user's own credentials (the SDK's
 * default chain: AWS_PROFILE, SSO, environment variables…) against the resources the stage's
 * outputs name. Decisions are the approvals domain's own call — the conditional write, then
 * `SendTaskSuccess` — since the stage's signing key is an SST secret the CLI does not hold;
 * IAM decides who may make them.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ApprovalService, ApprovalsError, recordedText } from "../../functions/approvals/index.ts";
import { formatDateTime } from "../../functions/shared/format.ts";
import { CliInputError } from "./errors.ts";
import { type DecisionReport, SagaClient } from "./saga-client.ts";
import { readStageOutputs, type StageOutputs } from "./stage-outputs.ts";

/** A stage could not be used as asked: credentials, permissions, a removed resource. */
export class StageAccessError extends Error {
  override name = "StageAccessError";
}

const PERMISSIONS = 'the permissions listed in README.md, "Use a deployed stage from the CLI"';

export class StageClient extends SagaClient {
  readonly where: string;

  constructor(readonly outputs: StageOutputs) {
    const region = outputs.region;
    super({
      sfn: new SFNClient({ region }),
      db: DynamoDBDocumentClient.from(new DynamoDBClient({ region }), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      table: outputs.table,
      stateMachineArn: outputs.stateMachineArn,
    });
    this.where = `stage ${outputs.stage} (${region})`;
  }

  /** The client for `stage`, from its outputs file. */
  static forStage(stage: string, outputsFile?: string): StageClient {
    return new StageClient(readStageOutputs(stage, outputsFile));
  }

  /**
   * Decides as `as` (default: the first approver who has not voted and is not the requester),
   * through the same domain call the approval API makes: one winner among concurrent deciders,
   * the requester may not approve their own order, an expired request stays expired.
   */
  async decide(
    approvalId: string,
    decision: "approve" | "reject",
    options: { comment?: string; as?: string } = {},
  ): Promise<DecisionReport> {
    const { by } = await this.decider(approvalId, options.as);
    // The decision goes into the request's audit ledger, whose head is signed with the stage's
    // key: without it the CLI would sign with a key verification then rejects.
    const key = process.env.COUNTERSIGN_SIGNING_KEY;
    if (!key)
      throw new CliInputError(
        "Deciding on a stage records it in the signed audit ledger: set COUNTERSIGN_SIGNING_KEY to the stage's SigningKey secret (npx sst secret list --stage <name>)",
      );
    const service = new ApprovalService({
      db: this.db,
      table: this.table,
      sfn: this.sfn,
      // Deciding sends no mail and signs no link: SES is never used by `decide`.
      ses: new SESv2Client({ region: this.outputs.region }),
      signingKey: key,
      sender: this.outputs.sender,
      clock: () => new Date(),
      settings: {},
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    try {
      const { record, outcome } = await this.call(() =>
        service.decide({
          approvalId,
          by,
          decision,
          channel: "cli",
          ...(options.comment?.trim() ? { comment: options.comment.trim() } : {}),
        }),
      );
      if (outcome === "recorded") {
        return {
          status: 200,
          message: `Approval recorded — ${by} approved "${record.title}". ${recordedText(record)}`,
        };
      }
      return {
        status: 200,
        message: `${outcome === "approved" ? "Approved" : "Rejected"} — ${by} ${outcome} "${record.title}" at ${formatDateTime(record.decidedAt ?? "")}. The workflow continues.`,
      };
    } catch (error) {
      if (error instanceof ApprovalsError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  /** Runs an AWS call, turning credential, permission and missing-resource errors into advice. */
  protected async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const name = (error as Error).name;
      const message = (error as Error).message;
      const stage = this.outputs.stage;
      if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
        throw new StageAccessError(
          `No AWS credentials for ${this.where}: sign in to the account it is deployed in (e.g. export AWS_PROFILE=<profile>, or aws sso login)`,
          { cause: error },
        );
      }
      if (
        ["AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException"].includes(
          name,
        )
      ) {
        throw new StageAccessError(
          `AWS refused the request to ${this.where} (${name}: ${message}): the identity needs ${PERMISSIONS}`,
          { cause: error },
        );
      }
      if (name === "ResourceNotFoundException" || name === "StateMachineDoesNotExist") {
        throw new StageAccessError(
          `${this.where} has no ${name === "StateMachineDoesNotExist" ? `state machine ${this.stateMachineArn}` : `table ${this.table}`} (was it removed?): deploy it again with \`npx sst deploy --stage ${stage}\`, then refresh ${this.outputs.file}`,
          { cause: error },
        );
      }
      const code = (error as { code?: string; cause?: { code?: string } }).cause?.code;
      if (["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT"].includes(code ?? "")) {
        throw new StageAccessError(
          `Cannot reach AWS for ${this.where} (${code}): check the network, or AWS_ENDPOINT_URL_* if set`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
