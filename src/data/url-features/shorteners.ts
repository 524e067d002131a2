/**
 * Registrable domains of public URL-shortening services (Shortining_Service). A URL whose registrable
 * domain (public-suffix aware) is one of these is a shortened link.
 */
export const SHORTENER_DOMAINS: ReadonlySet<string> = new Set([
  'bit.ly', 'bitly.com', 'bitly.is', 'goo.gl', 'tinyurl.com', 'ow.ly', 't.co', 'is.gd', 'v.gd', 'buff.ly', 'adf.ly',
  'cutt.ly', 'rebrand.ly', 'shorturl.at', 'tiny.cc', 'lnkd.in', 'db.tt', 'qr.ae', 'bit.do', 'rb.gy', 't.ly',
  's.id', 'x.co', 'po.st', 'su.pr', 'cli.gs', 'tr.im', 'snipurl.com', 'short.to', 'budurl.com', 'ping.fm',
  'post.ly', 'just.as', 'bkite.com', 'snipr.com', 'fic.kr', 'loopt.us', 'doiop.com', 'short.ie', 'kl.am',
  'wp.me', 'rubyurl.com', 'om.ly', 'to.ly', 'link.zip.net', 'yourls.org', 'prettylinkpro.com', 'scrnch.me',
  'filoops.info', 'vzturl.com', 'qr.net', '1url.com', 'tweez.me', 'v.gd', 'tiny.one', 'shorte.st', 'ouo.io',
  'soo.gd', 'clck.ru', 'u.to', 'go2l.ink', 'x.gd', 'tinu.be', 'shrtco.de', '2.gy', 'is.gd', 'mcaf.ee', 'youtu.be',
  'amzn.to', 'fb.me', 'trib.al', 'dlvr.it', 'ift.tt', 'zpr.io',
]);
