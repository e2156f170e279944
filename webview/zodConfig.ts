import { z } from 'zod';

// Strict CSP: zod 4 probes `new Function` to JIT object parsers, and Chromium reports the blocked
// probe as a securitypolicyviolation even though zod catches it. Imported first by each bundle.
z.config({ jitless: true });
