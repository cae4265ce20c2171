// An exercise (goal=): its task above the plot, "Done" with the numbers once every
// condition holds, and mdn:goal to a host page (once per experiment, with the step and
// the metrics of that step). The engine reads and checks the goal (src/share/goal.rs).
import { S, $ } from './state.js';
import { tellHost } from './host.js';

let told = -1; // the generation of the experiment the host was last told about

/** A new experiment: its exercise, or none. */
export function showGoal() {
  const task = S.viewer.goal_task();
  $('goal').hidden = !task;
  $('goal-task').textContent = task;
  $('goal-done').textContent = '';
  checkGoal();
}

/** After each snapshot: "Done" once the goal is met, and the host page told. */
export function checkGoal() {
  if (!S.viewer || $('goal').hidden) return;
  const done = S.viewer.goal_check() ?? '';
  if ($('goal-done').textContent !== done) $('goal-done').textContent = done;
  if (!done || told === S.generation) return;
  told = S.generation;
  const m = S.viewer.metrics();
  tellHost({ type: 'mdn:goal', goal: S.viewer.goal(), step: m.step, said: done, metrics: JSON.parse(JSON.stringify(m)) });
}
