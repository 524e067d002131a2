/** Linear, kernel, neighbour and Bayes classifier factories, and the transformer factories. */
import { gaussianNB } from './bayes/gaussian-nb.js';
import type { ClassifierFactory, TransformerFactory } from './estimator.js';
import { svcFactory } from './kernel/svc.js';
import { logisticRegression } from './linear/logistic.js';
import { kNeighbors } from './neighbors/knn.js';
import { knnImputer } from './preprocessing/knn-imputer.js';
import { oneHot } from './preprocessing/one-hot.js';
import { minMaxScaler, robustScaler, standardScaler } from './preprocessing/scalers.js';
import { simpleImputer } from './preprocessing/simple-imputer.js';

export const otherClassifiers: ClassifierFactory[] = [
  logisticRegression,
  svcFactory,
  kNeighbors,
  gaussianNB,
];

export const transformers: TransformerFactory[] = [
  simpleImputer,
  knnImputer,
  standardScaler,
  minMaxScaler,
  robustScaler,
  oneHot,
];
