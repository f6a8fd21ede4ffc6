/**
 * `includeDecisionLog()` as the Node build has it: that build always has the decision log, so
 * there is nothing to include. The edge build has edge/include-decision-log.edge.ts instead.
 */

/**
 * Makes the edge build of corsproof (the `workerd`, `worker` and `browser` export conditions)
 * carry the decision log, so that `onDecision` reports decisions in a Worker as it does on Node.
 * Without it the edge build refuses a policy with `onDecision` at start-up with a
 * `DecisionLogAbsentError`. The log and the explanations its events carry cost a Worker about
 * 1.1 KB gzipped. Does nothing in the Node build.
 *
 * @example
 * import { includeDecisionLog } from 'corsproof';
 * import { withCors } from 'corsproof/fetch';
 *
 * includeDecisionLog();
 * export default {
 *   fetch: withCors(
 *     { origins: ['https://app.example.com'], onDecision: (event) => console.log(event) },
 *     handler,
 *   ),
 * };
 */
export function includeDecisionLog(): void {}
