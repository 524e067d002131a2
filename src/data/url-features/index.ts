/**
 * URL, page and fetch feature extraction: pure functions from an address, its HTML and what a fetch
 * observed to the data set's feature values. The fetch itself lives in src/adapters/web-fetch.
 */
export * from './feature-sets.js';
export { parseTarget, MAX_URL_LENGTH, type Target } from './target.js';
export { hostInfo, type HostInfo } from './host.js';
export { urlFeatures, type UrlFeatures } from './url.js';
export { pageAnalysis, pageFeatures, type PageCounts, type PageFeatures } from './page.js';
export { fetchFeatures, type FetchFeatures, type FetchObservation } from './fetch.js';
export { extractFeatures, type Extraction, type Observation } from './extract.js';
export { codingMarkdown, codingTable, type CodingRow } from './coding.js';
