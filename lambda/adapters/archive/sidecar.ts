import * as z from '../../domain/shared/zod';

/** The `<key>.meta.json` file beside each object in the folder archive. */
export const SidecarSchema = z.object({
  contentType: z.string(),
  metadata: z.record(z.string(), z.string()),
});

export type SidecarMetadata = z.infer<typeof SidecarSchema>;
