/**
 * Names the stacks derive: SST handler strings and AWS physical names that respect service
 * limits. Plain functions, no SST or Pulumi imports, so tests run without the platform.
 */
import { NamingError } from "./errors.ts";

/**
 * SST's handler string for a source file: `functions/reserve-stock.ts` → `functions/reserve-stock.handler`.
 * Every handler file exports `handler`.
 */
export function handlerFor(file: string): string {
  if (!file.endsWith(".ts")) {
    throw new NamingError(`handler file "${file}" must be a .ts file under functions/`);
  }
  return `${file.slice(0, -".ts".length)}.handler`;
}

/**
 * A physical name `<app>-<stage>-<name>` cut to `max` characters, keeping only the characters
 * Step Functions and CloudWatch Logs accept (letters, digits, `-`, `_`). The stage is kept whole
 * because it is what tells two deployments apart.
 */
export function physicalName(app: string, stage: string, name: string, max = 80): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "-");
  const [a, s, n] = [clean(app), clean(stage), clean(name)];
  if (s.length + n.length + 2 > max) {
    throw new NamingError(
      `stage "${stage}" with resource "${name}" exceeds ${max} characters: use a shorter --stage`,
    );
  }
  const room = max - s.length - n.length - 2;
  return `${a.slice(0, room)}-${s}-${n}`;
}

/**
 * The log group for a state machine. Step Functions' docs recommend the `/aws/vendedlogs/states/`
 * prefix so that CloudWatch Logs' resource policy does not grow with every log group
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
 */
export function stateMachineLogGroupName(app: string, stage: string, machine: string): string {
  return `/aws/vendedlogs/states/${physicalName(app, stage, machine, 512 - 23)}`;
}
