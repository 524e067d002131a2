/** Public entry of the tree estimators: classes, params, defaults and factories. */
export { AdaBoostClassifier, adaBoostDefaults, adaBoostFactory } from './adaboost.js';
export type { AdaBoostParams } from './adaboost.js';
export { DecisionTreeClassifier, decisionTreeDefaults, decisionTreeFactory } from './decision-tree.js';
export type { DecisionTreeParams } from './decision-tree.js';
export { ExtraTreesClassifier, RandomForestClassifier, extraTreesDefaults, extraTreesFactory, randomForestDefaults, randomForestFactory } from './forest.js';
export type { ForestParams } from './forest.js';
export { HistGradientBoostingClassifier, histGradientBoostingDefaults, histGradientBoostingFactory } from './hist-gradient-boosting.js';
export type { HistGradientBoostingParams } from './hist-gradient-boosting.js';
export type { TreeClassifierBase } from './base.js';
export { prepareBoosting } from './boost-prepared.js';
export type { BoostPrepared } from './boost-prepared.js';
