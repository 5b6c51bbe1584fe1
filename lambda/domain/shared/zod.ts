import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * The one zod every schema in lambda/ uses: zod/mini, whose functions tree-shake to what the schemas
 * use (the classic API cannot: it was 40 % of the function's bundle), with the English messages the
 * classic API loads by itself. Import it as `import * as z from '…/domain/shared/zod'`, never 'zod' or
 * 'zod/mini' directly, so no schema can run before the messages are configured. (A star re-export,
 * not `export * as z`: a namespace object would keep every export and defeat the tree-shaking.)
 */
config(en());

export * from 'zod/mini';
