/**
 * Every estimator factory by kind, and rebuilding a fitted estimator from its saved state.
 */
import { NsError } from '../core/errors.js';
import { otherClassifiers, transformers } from './catalog-others.js';
import { treeClassifiers } from './catalog-trees.js';
import type { Classifier, ClassifierFactory, ModelState, Transformer, TransformerFactory } from './estimator.js';
import { votingFactory } from './ensemble/voting.js';

const classifierByKind = new Map<string, ClassifierFactory>([...treeClassifiers, ...otherClassifiers].map((f) => [f.kind, f]));
// The voting ensemble rebuilds its members through this catalog.
classifierByKind.set('voting', votingFactory((s) => classifierFromState(s)));
const transformerByKind = new Map<string, TransformerFactory>(transformers.map((f) => [f.kind, f]));

export function classifierKinds(): Set<string> {
  return new Set(classifierByKind.keys());
}

export function classifierFactory(kind: string): ClassifierFactory {
  const f = classifierByKind.get(kind);
  if (!f) throw new NsError('MODEL_KIND_UNKNOWN', `No estimator of kind "${kind}" exists.`, { hint: `Use one of: ${[...classifierByKind.keys()].join(', ')}.` });
  return f;
}

export function transformerFactory(kind: string): TransformerFactory {
  const f = transformerByKind.get(kind);
  if (!f) throw new NsError('TRANSFORMER_KIND_UNKNOWN', `No transformer of kind "${kind}" exists.`, { hint: `Use one of: ${[...transformerByKind.keys()].join(', ')}.` });
  return f;
}

export function classifierFromState(state: ModelState): Classifier {
  return classifierFactory(state.kind).fromState(state);
}

export function transformerFromState(state: ModelState): Transformer {
  return transformerFactory(state.kind).fromState(state);
}
