import type { RequestContext, Route } from '../http/route.js';
import type { SeedChannel } from '../seed/types.js';

/** The asset API's own timestamp form, e.g. "2015-07-15T11:40:58Z+0000". */
const SEEDED_AT = '2026-01-05T09:00:00Z+0000';
/** What the asset API answers, with success:true, when nothing matches. */
const NO_ASSETS = 'No assets found for the given search criteria.';

function program(ctx: RequestContext): void {
  const info = ctx.services.catalog.program(Number(ctx.params[0]));
  if (!info) return ctx.reply.okEmpty(NO_ASSETS);
  const { program: p } = info;
  const folder = p.folder ?? { id: 100, name: 'Marketing Activities' };
  ctx.reply.okAsset([
    {
      id: p.id,
      name: p.name,
      description: p.description ?? '',
      createdAt: SEEDED_AT,
      updatedAt: SEEDED_AT,
      url: `${ctx.url.origin}/#PG${p.id}A1`,
      type: p.type,
      channel: p.channel,
      folder: { type: 'Folder', value: folder.id, folderName: folder.name },
      status: '',
      workspace: p.workspace ?? 'Default',
      tags: [],
      costs: [],
    },
  ]);
}

function channelView(channel: SeedChannel) {
  return {
    id: channel.id,
    name: channel.name,
    applicableProgramType: channel.applicableProgramType,
    progressionStatuses: channel.progressionStatuses.map((s) => ({
      name: s.name,
      step: s.step,
      description: s.description ?? null,
      hidden: s.hidden ?? false,
      success: s.success,
      ...(s.type === undefined ? {} : { type: s.type }),
    })),
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
  };
}

function channelByName(ctx: RequestContext): void {
  const channel = ctx.services.catalog.channel(ctx.url.searchParams.get('name') ?? '');
  if (!channel) return ctx.reply.okEmpty(NO_ASSETS);
  ctx.reply.okAsset([channelView(channel)]);
}

export const assetRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/rest\/asset\/v1\/channels\.json$/,
    access: 'api',
    handle: (ctx) => ctx.reply.okAsset(ctx.services.catalog.seed.channels.map(channelView)),
  },
  { method: 'GET', pattern: /^\/rest\/asset\/v1\/program\/(\d+)\.json$/, access: 'api', handle: program },
  { method: 'GET', pattern: /^\/rest\/asset\/v1\/channel\/byName\.json$/, access: 'api', handle: channelByName },
];
