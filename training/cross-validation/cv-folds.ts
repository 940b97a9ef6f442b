/**
 * The CK+ evaluation protocols as train/test splits of one dataset's samples: subject-independent k-fold
 * cross-validation (how CK+ results are usually reported) and the paper's single 90/10 split (arXiv 2006.11168
 * reports one split; here it is made subject-independent so no person is on both sides).
 */
import { holdOutBySubject, kFoldBySubject } from '../data/splits.ts';
import type { Sample } from '../data/types.ts';

export type CvProtocol = 'kfold' | 'paper' | 'both';
export const CV_PROTOCOLS: readonly CvProtocol[] = ['kfold', 'paper', 'both'];

/** The paper's test share. */
export const PAPER_TEST_FRACTION = 0.1;

export interface CvSplit {
  /** Run folder name under the cross-validation's outDir: fold-01 ... or holdout-90-10. */
  name: string;
  kind: 'kfold' | 'holdout';
  /** 1-based fold number (1 for the hold-out). */
  index: number;
  train: Sample[];
  test: Sample[];
  /** Sorted ids of the subjects in `test`. */
  testSubjects: string[];
}

export interface CvPlan {
  folds: number;
  seed: number;
  protocol: CvProtocol;
  /** Keep only the first n k-fold splits (0 = all). */
  limitFolds: number;
}

export function subjectIds(samples: readonly Sample[]): string[] {
  return [...new Set(samples.map((s) => s.subject ?? ''))].sort();
}

/** Throws when a subject is on both sides of a split: the protocol's one promise. */
export function checkSubjectIndependent(split: Pick<CvSplit, 'name' | 'train' | 'test'>): void {
  const test = new Set(subjectIds(split.test));
  const shared = subjectIds(split.train).filter((s) => test.has(s));
  if (shared.length > 0) throw new Error(`${split.name}: subjects ${shared.join(', ')} are in both train and test`);
}

/** The splits a plan asks for, k-fold first, each checked subject-independent. */
export function crossValidationSplits(samples: readonly Sample[], plan: CvPlan): CvSplit[] {
  if (!CV_PROTOCOLS.includes(plan.protocol))
    throw new Error(`--protocol must be one of ${CV_PROTOCOLS.join(', ')}, got "${plan.protocol}"`);
  if (!Number.isInteger(plan.limitFolds) || plan.limitFolds < 0)
    throw new Error(`--limitFolds must be an integer >= 0, got ${plan.limitFolds}`);
  const out: CvSplit[] = [];
  if (plan.protocol !== 'paper') {
    const folds = kFoldBySubject(samples, plan.folds, plan.seed);
    const width = String(plan.folds).length < 2 ? 2 : String(plan.folds).length;
    const keep = plan.limitFolds > 0 ? folds.slice(0, plan.limitFolds) : folds;
    keep.forEach((f, i) => {
      out.push({
        name: `fold-${String(i + 1).padStart(width, '0')}`,
        kind: 'kfold',
        index: i + 1,
        train: f.train,
        test: f.test,
        testSubjects: subjectIds(f.test),
      });
    });
  }
  if (plan.protocol !== 'kfold') {
    const h = holdOutBySubject(samples, PAPER_TEST_FRACTION, plan.seed);
    out.push({ name: 'holdout-90-10', kind: 'holdout', index: 1, train: h.train, test: h.test, testSubjects: subjectIds(h.test) });
  }
  out.forEach(checkSubjectIndependent);
  return out;
}
