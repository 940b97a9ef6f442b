import type { Comparison } from './compare.ts';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * The comparison as markdown: one row per dataset and model with accuracy and macro-F1 on the model's own
 * classes and on the classes all models share, then ms per face.
 */
export function formatTable(c: Comparison): string {
  const lines = [
    '| Dataset | Model | Own classes: k / images | Accuracy | Macro-F1 | Common classes: k / images | Accuracy | Macro-F1 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const d of c.datasets) {
    for (const [model, r] of Object.entries(d.results)) {
      lines.push(
        `| ${d.name} | ${model} | ${r.own.classes.length} / ${r.own.images} | ${pct(r.own.accuracy)} | ${pct(r.own.macroF1)} | ` +
          `${r.common.classes.length} / ${r.common.images} | ${pct(r.common.accuracy)} | ${pct(r.common.macroF1)} |`,
      );
    }
  }
  lines.push('', 'Common classes: ' + c.datasets.map((d) => `${d.name}: ${d.commonClasses.join(', ')}`).join('; '), '');
  lines.push('| Model | Faces timed | ms per face, median | p90 |', '| --- | --- | --- | --- |');
  for (const [model, t] of Object.entries(c.timing))
    lines.push(`| ${model} | ${t.faces} | ${t.medianMs.toFixed(2)} | ${t.p90Ms.toFixed(2)} |`);
  return lines.join('\n');
}
