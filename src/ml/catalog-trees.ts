/** Tree-based classifier factories (filled by src/ml/trees). */
import type { ClassifierFactory } from './estimator.js';

export const treeClassifiers: ClassifierFactory[] = [];
