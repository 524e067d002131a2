/** Linear, kernel, neighbour and Bayes classifier factories, and the transformer factories. */
import type { ClassifierFactory, TransformerFactory } from './estimator.js';

export const otherClassifiers: ClassifierFactory[] = [];
export const transformers: TransformerFactory[] = [];
