/**
 * The 30 features in words (from the data set's feature description, shared/data/FEATURES.md). Each
 * value is described by what it means for the site — never as "phishing" because of its sign, since
 * several features run the other way in this data; the model's contributions say which way a value
 * pushes. Defaults are the most common value in the bundled data.
 */
export interface FeatureInfo {
  name: string;
  title: string;
  group: 'Address (URL)' | 'Security & network' | 'Page content' | 'Domain & reputation';
  /** Value → what it means, in the order shown. */
  values: [number, string][];
  /** Most common value in the bundled data set. */
  common: number;
}

const yesNo = (yes: string, no: string): [number, string][] => [[-1, yes], [1, no]];

export const features: FeatureInfo[] = [
  { name: 'having_IP_Address', title: 'IP address as host', group: 'Address (URL)', values: yesNo('Host is an IP address', 'Host is a domain name'), common: 1 },
  { name: 'URL_Length', title: 'URL length', group: 'Address (URL)', values: [[1, 'Under 54 characters'], [0, '54–75 characters'], [-1, 'Over 75 characters']], common: -1 },
  { name: 'Shortining_Service', title: 'URL shortener', group: 'Address (URL)', values: yesNo('Host is a shortener (bit.ly, tinyurl …)', 'Not a shortener'), common: 1 },
  { name: 'having_At_Symbol', title: '"@" in the URL', group: 'Address (URL)', values: yesNo('URL contains "@"', 'No "@"'), common: 1 },
  { name: 'double_slash_redirecting', title: '"//" inside the path', group: 'Address (URL)', values: yesNo('"//" after position 7', 'No extra "//"'), common: 1 },
  { name: 'Prefix_Suffix', title: 'Dash in the domain', group: 'Address (URL)', values: yesNo('Domain contains "-"', 'No "-" in the domain'), common: -1 },
  { name: 'having_Sub_Domain', title: 'Subdomains', group: 'Address (URL)', values: [[1, 'None (one dot)'], [0, 'One (two dots)'], [-1, 'Several (more dots)']], common: 1 },
  { name: 'HTTPS_token', title: '"http" token in the domain', group: 'Address (URL)', values: yesNo('Domain contains "http"/"https"', 'No such token'), common: 1 },
  { name: 'SSLfinal_State', title: 'HTTPS certificate', group: 'Security & network', values: [[1, 'HTTPS, trusted issuer, ≥ 1 year'], [0, 'HTTPS, untrusted issuer'], [-1, 'No valid HTTPS']], common: 1 },
  { name: 'port', title: 'Unusual open ports', group: 'Security & network', values: yesNo('Ports besides 80/443 open', 'Only the usual ports'), common: 1 },
  { name: 'Redirect', title: 'Redirects', group: 'Security & network', values: [[0, 'Few (coded 0; coding undocumented)'], [1, 'More (coded 1; coding undocumented)']], common: 0 },
  { name: 'Request_URL', title: 'Media from other domains', group: 'Page content', values: [[1, 'Under 22% of images/video/audio'], [-1, '22% or more']], common: 1 },
  { name: 'URL_of_Anchor', title: 'Links elsewhere or nowhere', group: 'Page content', values: [[1, 'Under 31% of <a> links'], [0, '31–67% of <a> links'], [-1, 'Over 67% of <a> links']], common: 0 },
  { name: 'Links_in_tags', title: 'Other-domain links in meta/script/link', group: 'Page content', values: [[1, 'Under 17%'], [0, '17–81%'], [-1, 'Over 81%']], common: 0 },
  { name: 'SFH', title: 'Form handler', group: 'Page content', values: [[1, 'Same domain'], [0, 'Another domain'], [-1, 'Empty or about:blank']], common: -1 },
  { name: 'Submitting_to_email', title: 'Form sends e-mail', group: 'Page content', values: yesNo('Uses mailto: / mail()', 'No'), common: 1 },
  { name: 'Favicon', title: 'Favicon source', group: 'Page content', values: yesNo('Loaded from another domain', 'Same domain'), common: 1 },
  { name: 'on_mouseover', title: 'Status bar rewritten on hover', group: 'Page content', values: yesNo('Yes', 'No'), common: 1 },
  { name: 'RightClick', title: 'Right click disabled', group: 'Page content', values: yesNo('Yes', 'No'), common: 1 },
  { name: 'popUpWidnow', title: 'Pop-up with text fields', group: 'Page content', values: yesNo('Yes', 'No'), common: 1 },
  { name: 'Iframe', title: 'Invisible iframe', group: 'Page content', values: yesNo('Yes', 'No'), common: 1 },
  { name: 'Domain_registeration_length', title: 'Domain registration', group: 'Domain & reputation', values: yesNo('Expires within a year', 'Paid for over a year'), common: -1 },
  { name: 'Abnormal_URL', title: 'Host matches WHOIS identity', group: 'Domain & reputation', values: yesNo('No, host not in the registered identity', 'Yes'), common: 1 },
  { name: 'age_of_domain', title: 'Domain age', group: 'Domain & reputation', values: [[1, '6 months or older'], [-1, 'Younger than 6 months']], common: 1 },
  { name: 'DNSRecord', title: 'DNS record', group: 'Domain & reputation', values: [[1, 'Has a DNS record'], [-1, 'No DNS record']], common: 1 },
  { name: 'web_traffic', title: 'Traffic rank', group: 'Domain & reputation', values: [[1, 'Ranked under 100,000'], [0, 'Ranked above 100,000'], [-1, 'Unranked']], common: 1 },
  { name: 'Page_Rank', title: 'PageRank', group: 'Domain & reputation', values: [[1, '0.2 or more'], [-1, 'Under 0.2']], common: -1 },
  { name: 'Google_Index', title: 'In Google\'s index', group: 'Domain & reputation', values: [[1, 'Indexed'], [-1, 'Not indexed']], common: 1 },
  { name: 'Links_pointing_to_page', title: 'Links pointing to the page', group: 'Domain & reputation', values: [[1, 'More than 2'], [0, '1–2'], [-1, 'None']], common: 0 },
  { name: 'Statistical_report', title: 'On phishing blocklists', group: 'Domain & reputation', values: yesNo('Host among top reported phishing hosts', 'Not listed'), common: 1 },
];

export const featureByName = new Map(features.map((f) => [f.name, f]));
export const groups = ['Address (URL)', 'Security & network', 'Page content', 'Domain & reputation'] as const;

/** "Dash in the domain: Domain contains "-"" for a feature and value. */
export function describeValue(name: string, value: number): string {
  const f = featureByName.get(name);
  if (!f) return `${name} = ${value}`;
  const meaning = f.values.find(([v]) => v === value)?.[1] ?? `value ${value}`;
  return `${f.title}: ${meaning}`;
}

/** A feature's title, or its raw name when unknown. */
export const titleOf = (name: string): string => featureByName.get(name)?.title ?? name;
