/**
 * A function's IAM policy document — the JSON the stacks attach to its role — evaluated for each
 * request with `@cloud-copilot/iam-simulate` (identity policy, explicit and implicit deny, wildcards,
 * condition operators), as AWS evaluates a Lambda role with no boundary, SCP or resource policy.
 * Decisions are cached per (action, resource): a policy never changes while the platform runs.
 *
 * One deviation from the simulator's validated mode, where AWS's recorded behaviour disagrees
 * with its Service Authorization Reference: `states:SendTask*` are listed without a resource type,
 * so the simulator accepts only `"*"` for them, but Step Functions authorises them against the
 * state machine that issued the token (its AccessDeniedException names
 * `...:stateMachine:<name>`, and a statement scoped to that ARN allows them). Such actions are
 * evaluated against that ARN without the simulator's request validation.
 */
import {
  isWildcardOnlyAction,
  runSimulation,
  runUnsafeSimulation,
  type Simulation,
} from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../../stacks/lib/iam.ts";
import { AccessDeniedException, IamSimulationError } from "./errors.ts";

/** Authorises requests of one principal under one policy document. */
export class PolicyAuthorizer {
  private readonly decisions = new Map<string, Promise<boolean>>();

  constructor(
    /** e.g. `arn:aws:sts::000000000000:assumed-role/ValidateOrder-role/ValidateOrder`. */
    readonly principal: string,
    readonly policy: PolicyDocument,
    private readonly accountId: string,
  ) {}

  /** Resolves when allowed; rejects with {@link AccessDeniedException} otherwise. */
  async authorize(request: { action: string; resource: string }): Promise<void> {
    const key = `${request.action} ${request.resource}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.evaluate(request.action, request.resource);
      this.decisions.set(key, decision);
    }
    if (!(await decision)) {
      throw new AccessDeniedException(this.principal, request.action, request.resource);
    }
  }

  private async evaluate(action: string, resource: string): Promise<boolean> {
    const simulation: Simulation = {
      identityPolicies: [{ name: "function-policy", policy: this.policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: this.principal,
        resource: { resource, accountId: this.accountId },
        contextVariables: {},
      },
    };
    const [service, name] = action.split(":") as [string, string];
    if (resource !== "*" && (await isWildcardOnlyAction(service, name))) {
      return runUnsafeSimulation(simulation, {}) === "Allowed";
    }
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
      throw new IamSimulationError(
        `IAM simulation of ${action} on ${resource} for ${this.principal} failed: ${JSON.stringify(result.errors)}`,
      );
    }
    return result.overallResult === "Allowed";
  }
}
