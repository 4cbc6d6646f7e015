/**
 * The one request contract every workflow's `.waitForTaskToken` task sends, and the decision it
 * gets back. Nothing here knows what is being approved: an order, an expense or a deploy is a
 * title, typed summary fields, optional details and an optional decision form. Validation names
 * the field (`approvers.1`, `decisionForm.0.type`) so the workflow's author can fix it; a request
 * that fails it fails the task at once (service.ts) and nothing is emailed.
 */
import * as z from "zod";

const email = z.string().trim().toLowerCase().pipe(z.email());
const label = z.string().trim().min(1, { error: "must not be empty" }).max(80);
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: "must be a three-letter ISO 4217 code such as EUR" });

/**
 * One summary line: an ordered label/value pair whose type says how it renders. Money shows with
 * its currency, dates in UTC, links as links (http and https only, so a summary cannot smuggle a
 * `javascript:` URL into a page or an email).
 */
export const summaryFieldSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text"), label, value: z.string().max(500) }),
    z.object({ type: z.literal("number"), label, value: z.number() }),
    z.object({ type: z.literal("money"), label, amount: z.number(), currency }),
    z.object({ type: z.literal("date"), label, value: z.iso.datetime({ offset: true }) }),
    z.object({
      type: z.literal("link"),
      label,
      href: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
      text: z.string().max(200).optional(),
    }),
  ],
  { error: 'must have a type of "text", "number", "money", "date" or "link"' },
);
export type SummaryField = z.output<typeof summaryFieldSchema>;

const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { error: "must be a letter then letters, digits or _" });

/** A field the approver fills when deciding (the decision form). */
export const formFieldSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("text"),
      name: fieldName,
      label,
      required: z.boolean().default(false),
      maxLength: z.number().int().positive().max(1000).default(200),
    }),
    z.object({
      type: z.literal("number"),
      name: fieldName,
      label,
      required: z.boolean().default(false),
      min: z.number().optional(),
      max: z.number().optional(),
      default: z.number().optional(),
    }),
    z.object({
      type: z.literal("choice"),
      name: fieldName,
      label,
      required: z.boolean().default(false),
      options: z.array(z.string().min(1).max(100)).min(1).max(50),
    }),
  ],
  { error: 'must have a type of "text", "number" or "choice"' },
);
export type FormField = z.output<typeof formFieldSchema>;

/** An approver: an email address, or the name of a group in Settings.groups. */
const approverRef = z
  .string()
  .trim()
  .min(1)
  .max(254)
  .transform((v) => (v.includes("@") ? v.toLowerCase() : v));

/** The payload of a `.waitForTaskToken` approval task. */
export const approvalRequestSchema = z
  .object({
    taskToken: z.string().min(1),
    /** `$states.context.Execution.Id`: lets the dashboard link the request to its execution. */
    executionArn: z.string().min(1).optional(),
    title: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(200),
    summary: z.array(summaryFieldSchema).max(50).default([]),
    /** Plain text; `**bold**`, `- ` bullet lines and blank-line paragraphs render (render.ts). */
    details: z.string().max(4000).optional(),
    /**
     * Who asks: the workflow's authenticated caller when it has one. Absent, the approvals use
     * `Settings.requester`, else the sender address.
     */
    requester: email.optional(),
    /** Addresses or group names; absent, `Settings.approvers`. */
    approvers: z.array(approverRef).min(1).max(50).optional(),
    /** How many approvals decide (M of N); one rejection rejects. */
    required: z.number().int().positive().default(1),
    timeoutSeconds: z.number().int().positive().optional(),
    /** Seconds before expiry at which approvers who have not voted are reminded. */
    reminders: z.array(z.number().int().positive()).max(10).optional(),
    /** After `after` seconds without a decision, `to` are asked too. */
    escalation: z
      .object({
        after: z.number().int().positive(),
        to: z.array(approverRef).min(1).max(50),
      })
      .optional(),
    /** Opaque JSON handed back with the decision. */
    context: z.json().optional(),
    decisionForm: z.array(formFieldSchema).max(20).optional(),
  })
  .superRefine((p, ctx) => {
    const names = new Set<string>();
    for (const [i, f] of (p.decisionForm ?? []).entries()) {
      if (names.has(f.name))
        ctx.addIssue({
          code: "custom",
          path: ["decisionForm", i, "name"],
          message: `"${f.name}" is used twice`,
        });
      names.add(f.name);
    }
  });
export type ApprovalRequestInput = z.input<typeof approvalRequestSchema>;
export type ApprovalRequest = z.output<typeof approvalRequestSchema>;

/** One vote: an approval, or the rejection. `onBehalfOf` when a delegate decided. */
export interface Vote {
  by: string;
  at: string;
  decision: "approve" | "reject";
  onBehalfOf?: string;
  comment?: string;
  form?: Record<string, string | number>;
  channel?: Channel;
}

/** Where a person acted from (recorded in the ledger). */
export type Channel = "email" | "email link" | "dashboard" | "cli" | "system" | "webhook";

/**
 * What `SendTaskSuccess` gives the workflow: the outcome, who decided (and for whom), the comment
 * and form of the deciding vote, every vote, and the request's context unchanged.
 */
export interface DecisionOutput {
  decision: "approve" | "reject";
  by: string;
  onBehalfOf: string | null;
  at: string;
  comment: string | null;
  form: Record<string, string | number>;
  votes: Vote[];
  context: unknown;
}
