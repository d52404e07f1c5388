/**
 * `lens interests` as text: the three layers of one user (or the population's evolution), one
 * line per window with its top categories, the change points and the forecast next to its
 * baselines. Reads the object `--json` prints.
 */
import type { InterestsOutput } from './commands/interests';
import { count, table } from './output';

const pct = (share: number) => `${(100 * share).toFixed(0)} %`;
const mix = (shares: readonly { category: string; share: number }[] | null | undefined, top = 3) =>
  shares && shares.length > 0
    ? shares
        .slice(0, top)
        .map((s) => `${s.category} ${pct(s.share)}`)
        .join(', ')
    : '-';

function windowLabel(unit: string, start: number, end: number): string {
  if (unit === 'count') return `events ${start + 1}-${end}`;
  const iso = new Date(start).toISOString();
  return unit === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}

export function formatInterests(out: InterestsOutput): string {
  const lines: string[] = [];
  lines.push(
    out.user === null
      ? `Everyone's interests over ${count(out.categories.length)} ${out.derived ? 'derived ' : ''}categories`
      : `Interests of ${out.user} over ${count(out.categories.length)} ${out.derived ? 'derived ' : ''}categories`,
  );
  for (const note of out.notes) lines.push(`note: ${note}`);
  if (out.user !== null) {
    const o = out.options;
    lines.push('');
    lines.push(
      `surface  ${mix(out.surface)}  (${out.surfaceEvents ?? 0} events, ${out.surfaceMode === 'session' ? `latest session, gap ${o.surface.sessionGapMinutes} min` : `last ${o.surface.lastN}`})`,
    );
    for (const m of out.middle ?? []) {
      lines.push(
        `middle   ${m.context}: ${m.top ?? '-'} rises (${mix(m.categories)}; JSD ${m.divergence.toFixed(2)} bits, ${m.events} events)`,
      );
    }
    if ((out.middle ?? []).length === 0)
      lines.push('middle   no context differs from the overall mix');
    lines.push(
      `deep     ${(out.deep ?? [])
        .slice(0, 4)
        .map((d) => `${d.category} ${pct(d.share)} (stable in ${pct(d.stability)} of windows)`)
        .join(', ')}  (half-life ${o.deep.halfLifeDays} days)`,
    );
    if (out.predicted) {
      lines.push('');
      lines.push(`predicted by the layered model's heads:`);
      lines.push(`  surface ${mix(out.predicted.surface)}`);
      lines.push(`  middle  ${mix(out.predicted.middle)}`);
      lines.push(`  deep    ${mix(out.predicted.deep)}`);
    }
  }
  lines.push('');
  const changes = new Set(out.changePoints);
  lines.push(
    table([
      [
        out.unit === 'count' ? 'window' : `${out.unit} from`,
        'events',
        'top categories',
        'drift (JSD)',
        '',
      ],
      ...out.windows.map((w, i) => [
        windowLabel(out.unit, w.start, w.end),
        String(w.events),
        mix(w.distribution),
        i === 0 ? '' : (out.drift[i] ?? 0).toFixed(2),
        changes.has(i) ? 'change point' : '',
      ]),
    ]),
  );
  const f = out.forecast;
  if (f) {
    lines.push('');
    lines.push(
      `next window: ${mix(f.next)} (evolution model); last window: ${mix(f.baselines.lastWindow.next)}`,
    );
    lines.push(
      `held-out last windows of ${count(f.users)} users, KL (nats): model ${f.error ? f.error.kl.toFixed(3) : '-'}, last window ${f.baselines.lastWindow.kl.toFixed(3)}, moving average ${f.baselines.movingAverage.kl.toFixed(3)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
