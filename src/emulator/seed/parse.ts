import { z } from 'zod';
import type { EmulatorSeed } from './types.js';

const field = z.strictObject({
  name: z.string().min(1),
  displayName: z.string(),
  dataType: z.string().min(1),
  length: z.number().int().positive().optional(),
  updateable: z.boolean().optional(),
  crmManaged: z.boolean().optional(),
});

const seedSchema = z.strictObject({
  leadFields: z.array(field.extend({ lookup: z.boolean().optional() })),
  customObjects: z.array(
    z.strictObject({
      apiName: z.string().min(1),
      displayName: z.string(),
      pluralName: z.string(),
      description: z.string(),
      dedupeFields: z.array(z.string()).min(1),
      fields: z.array(field),
      relationships: z
        .array(
          z.strictObject({
            field: z.string(),
            type: z.string(),
            relatedTo: z.strictObject({ name: z.string(), field: z.string() }),
          }),
        )
        .optional(),
    }),
  ),
  channels: z.array(
    z.strictObject({
      id: z.number().int(),
      name: z.string().min(1),
      applicableProgramType: z.string(),
      progressionStatuses: z.array(
        z.strictObject({
          name: z.string().min(1),
          step: z.number().int(),
          success: z.boolean(),
          type: z.string().optional(),
          hidden: z.boolean().optional(),
          description: z.string().nullable().optional(),
        }),
      ),
    }),
  ),
  programs: z.array(
    z.strictObject({
      id: z.number().int().positive(),
      name: z.string().min(1),
      description: z.string().optional(),
      type: z.string(),
      channel: z.string(),
      workspace: z.string().optional(),
      folder: z.strictObject({ id: z.number().int(), name: z.string() }).optional(),
    }),
  ),
  programMemberFields: z.array(field),
}) satisfies z.ZodType<EmulatorSeed>;

/** Validates a seed file's content; every top-level key is optional and replaces the default list. */
export function parseSeed(input: unknown): Partial<EmulatorSeed> {
  const parsed = seedSchema.partial().safeParse(input);
  if (!parsed.success) throw new Error(`Invalid emulator seed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
