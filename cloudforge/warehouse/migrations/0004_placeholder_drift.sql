-- 0004 is the drift branch's migration. This placeholder only keeps the numbers without a gap on the health
-- branch (bundled_migrations refuses gaps); drop this file when merging, in favour of drift's 0004.
SELECT 1;
