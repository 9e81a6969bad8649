import type { RequestContext, Route } from '../http/route.js';
import type { Catalog } from '../seed/catalog.js';
import type { SeedCustomObject, SeedField } from '../seed/types.js';

/** When the seeded schema pretends to have been created. */
const SEEDED_AT = '2026-01-05T09:00:00Z';

function describeField(f: SeedField) {
  return {
    name: f.name,
    displayName: f.displayName,
    dataType: f.dataType,
    ...(f.length === undefined ? {} : { length: f.length }),
    updateable: f.updateable ?? true,
    crmManaged: f.crmManaged ?? false,
  };
}

/** SPEC ObjectMetaData. It requires `status` but defines `state`; both are sent. `name` is the older key. */
function objectMetadata(seed: SeedCustomObject) {
  const hasGuid = seed.fields.some((f) => f.name === 'marketoGUID');
  return {
    name: seed.apiName,
    apiName: seed.apiName,
    displayName: seed.displayName,
    pluralName: seed.pluralName,
    description: seed.description,
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    idField: hasGuid ? 'marketoGUID' : seed.dedupeFields[0],
    dedupeFields: seed.dedupeFields,
    searchableFields: [seed.dedupeFields, ...(hasGuid ? [['marketoGUID']] : [])],
    relationships: seed.relationships ?? [],
    fields: seed.fields.map(describeField),
    state: 'approved',
    status: 'approved',
    version: 'approved',
  };
}

function leadDescribe(catalog: Catalog) {
  const fields = catalog.seed.leadFields;
  return {
    name: 'API Lead',
    searchableFields: fields.filter((f) => f.lookup).map((f) => [f.name]),
    fields: fields.map(describeField),
  };
}

function programMemberDescribe(catalog: Catalog) {
  return {
    name: 'API Program Member',
    description: 'API Program Member Map',
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    dedupeFields: ['leadId', 'programId'],
    searchableFields: [['leadId'], ['programId']],
    fields: catalog.seed.programMemberFields.map(describeField),
  };
}

/** `names` may repeat (collectionFormat multi) or be comma-separated. */
function requestedNames(url: URL): Set<string> | undefined {
  const names = url.searchParams.getAll('names').flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
  return names.length > 0 ? new Set(names) : undefined;
}

function listCustomObjects(ctx: RequestContext): void {
  const names = requestedNames(ctx.url);
  const objects = ctx.services.catalog.seed.customObjects.filter((o) => !names || names.has(o.apiName));
  ctx.reply.ok(objects.map(objectMetadata));
}

function describeCustomObject(ctx: RequestContext): void {
  const type = ctx.services.catalog.customObject(ctx.params[0]!);
  if (!type) return ctx.reply.error('1013', 'Object not found');
  ctx.reply.ok([objectMetadata(type.seed)]);
}

export const describeRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/rest\/v1\/leads\/describe2\.json$/,
    access: 'api',
    handle: (ctx) => ctx.reply.ok([leadDescribe(ctx.services.catalog)]),
  },
  { method: 'GET', pattern: /^\/rest\/v1\/customobjects\.json$/, access: 'api', handle: listCustomObjects },
  { method: 'GET', pattern: /^\/rest\/v1\/customobjects\/([^/]+)\/describe\.json$/, access: 'api', handle: describeCustomObject },
  {
    method: 'GET',
    pattern: /^\/rest\/v1\/programs\/members\/describe\.json$/,
    access: 'api',
    handle: (ctx) => ctx.reply.ok([programMemberDescribe(ctx.services.catalog)]),
  },
];
