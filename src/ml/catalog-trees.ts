/** Tree-based classifier factories (src/ml/trees), by kind. */
import type { ClassifierFactory } from './estimator.js';
import { adaBoostFactory, decisionTreeFactory, extraTreesFactory, histGradientBoostingFactory, randomForestFactory } from './trees/index.js';

export const treeClassifiers: ClassifierFactory[] = [
  decisionTreeFactory,
  randomForestFactory,
  extraTreesFactory,
  histGradientBoostingFactory,
  adaBoostFactory,
];
