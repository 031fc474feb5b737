/**
 * Classification metrics, as the TweetEval evaluation script computes them: accuracy and
 * macro-averaged recall (sklearn's `classification_report(...)['macro avg']['recall']`).
 */

export interface ClassificationReport<L extends string> {
  readonly examples: number
  readonly accuracy: number
  /** Mean of the per-class recalls, over classes that occur in the gold labels. */
  readonly macroRecall: number
  readonly recall: Readonly<Record<L, number>>
  /** `confusion[gold][predicted]` counts. */
  readonly confusion: Readonly<Record<L, Readonly<Record<L, number>>>>
}

/**
 * Compares predicted labels with gold labels.
 *
 * @example
 * evaluateLabels(['a', 'b'], ['a', 'a'], ['a', 'b']).accuracy // 0.5
 */
export function evaluateLabels<L extends string>(
  labels: readonly L[],
  gold: readonly L[],
  predicted: readonly L[],
): ClassificationReport<L> {
  if (gold.length !== predicted.length) throw new Error('evaluateLabels: gold and predicted differ in length')
  const confusion = {} as Record<L, Record<L, number>>
  for (const g of labels) {
    confusion[g] = {} as Record<L, number>
    for (const p of labels) confusion[g][p] = 0
  }
  let correct = 0
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!
    const p = predicted[i]!
    confusion[g][p] = (confusion[g][p] ?? 0) + 1
    if (g === p) correct++
  }
  const recall = {} as Record<L, number>
  let sum = 0
  let present = 0
  for (const g of labels) {
    const total = labels.reduce((s, p) => s + confusion[g][p], 0)
    recall[g] = total > 0 ? confusion[g][g] / total : 0
    if (total > 0) {
      sum += recall[g]
      present++
    }
  }
  return {
    examples: gold.length,
    accuracy: gold.length > 0 ? correct / gold.length : 0,
    macroRecall: present > 0 ? sum / present : 0,
    recall,
    confusion,
  }
}
