import type { EmulatorSeed, SeedField, SeedProgressionStatus } from './types.js';

const readOnly = (name: string, displayName: string, dataType: string): SeedField => ({
  name,
  displayName,
  dataType,
  updateable: false,
});

const notInProgram: SeedProgressionStatus = { name: 'Not in Program', step: 0, success: false, type: 'inactive' };

/** A small but realistic instance; the connector's tests rely on these names. */
export const defaultSeed: EmulatorSeed = {
  leadFields: [
    { name: 'id', displayName: 'Id', dataType: 'integer', updateable: false, lookup: true },
    { name: 'email', displayName: 'Email Address', dataType: 'email', length: 255, lookup: true },
    { name: 'firstName', displayName: 'First Name', dataType: 'string', length: 255 },
    { name: 'lastName', displayName: 'Last Name', dataType: 'string', length: 255 },
    { name: 'company', displayName: 'Company Name', dataType: 'string', length: 255 },
    { name: 'title', displayName: 'Job Title', dataType: 'string', length: 255 },
    { name: 'phone', displayName: 'Phone Number', dataType: 'phone', length: 255 },
    { name: 'leadScore', displayName: 'Lead Score', dataType: 'integer' },
    { name: 'annualRevenue', displayName: 'Annual Revenue', dataType: 'currency' },
    { name: 'numberOfEmployees', displayName: 'Num Employees', dataType: 'integer' },
    { name: 'unsubscribed', displayName: 'Unsubscribed', dataType: 'boolean' },
    { name: 'birthDate', displayName: 'Date of Birth', dataType: 'date' },
    { name: 'website', displayName: 'Website', dataType: 'url', length: 255 },
    { name: 'city', displayName: 'City', dataType: 'string', length: 255 },
    { name: 'country', displayName: 'Country', dataType: 'string', length: 255 },
    { name: 'externalCompanyId', displayName: 'External Company Id', dataType: 'string', length: 100 },
    readOnly('createdAt', 'Created At', 'datetime'),
    readOnly('updatedAt', 'Updated At', 'datetime'),
    // Custom fields: string and integer ones can be lookup fields, as in Marketo.
    { name: 'loyaltyId', displayName: 'Loyalty Id', dataType: 'string', length: 255, lookup: true },
    { name: 'accountNumber', displayName: 'Account Number', dataType: 'integer', lookup: true },
    { name: 'preferredLanguage', displayName: 'Preferred Language', dataType: 'string', length: 255 },
    { name: 'propensityScore', displayName: 'Propensity Score', dataType: 'float' },
    { name: 'lastPurchaseAt', displayName: 'Last Purchase At', dataType: 'datetime' },
  ],
  customObjects: [
    {
      apiName: 'car_c',
      displayName: 'Car',
      pluralName: 'Cars',
      description: 'Cars owned by a lead',
      dedupeFields: ['vin'],
      fields: [
        readOnly('marketoGUID', 'Marketo GUID', 'string'),
        readOnly('createdAt', 'Created At', 'datetime'),
        readOnly('updatedAt', 'Updated At', 'datetime'),
        { name: 'vin', displayName: 'VIN', dataType: 'string', length: 255 },
        { name: 'make', displayName: 'Make', dataType: 'string', length: 255 },
        { name: 'model', displayName: 'Model', dataType: 'string', length: 255 },
        { name: 'color', displayName: 'Color', dataType: 'string', length: 255 },
        { name: 'year', displayName: 'Year', dataType: 'integer' },
        { name: 'purchaseDate', displayName: 'Purchase Date', dataType: 'date' },
        { name: 'ownerEmail', displayName: 'Owner Email', dataType: 'email', length: 255 },
      ],
      relationships: [{ field: 'ownerEmail', type: 'child', relatedTo: { name: 'Lead', field: 'email' } }],
    },
    {
      apiName: 'subscription_c',
      displayName: 'Subscription',
      pluralName: 'Subscriptions',
      description: 'Product subscriptions held by a lead',
      dedupeFields: ['subscriptionId'],
      fields: [
        readOnly('marketoGUID', 'Marketo GUID', 'string'),
        readOnly('createdAt', 'Created At', 'datetime'),
        readOnly('updatedAt', 'Updated At', 'datetime'),
        { name: 'subscriptionId', displayName: 'Subscription Id', dataType: 'string', length: 255 },
        { name: 'leadId', displayName: 'Lead Id', dataType: 'integer' },
        { name: 'plan', displayName: 'Plan', dataType: 'string', length: 255 },
        { name: 'seats', displayName: 'Seats', dataType: 'integer' },
        { name: 'monthlyPrice', displayName: 'Monthly Price', dataType: 'currency' },
        { name: 'active', displayName: 'Active', dataType: 'boolean' },
        { name: 'startDate', displayName: 'Start Date', dataType: 'date' },
        { name: 'renewedAt', displayName: 'Renewed At', dataType: 'datetime' },
      ],
      relationships: [{ field: 'leadId', type: 'child', relatedTo: { name: 'Lead', field: 'Id' } }],
    },
  ],
  channels: [
    {
      id: 1,
      name: 'Webinar',
      applicableProgramType: 'event',
      progressionStatuses: [
        notInProgram,
        { name: 'Invited', step: 10, success: false, type: 'member' },
        { name: 'Registered', step: 20, success: false, type: 'member' },
        { name: 'No Show', step: 30, success: false, type: 'member' },
        { name: 'Attended', step: 40, success: true, type: 'success' },
      ],
    },
    {
      id: 2,
      name: 'Email Newsletter',
      applicableProgramType: 'program',
      progressionStatuses: [
        notInProgram,
        { name: 'Member', step: 10, success: false, type: 'member' },
        { name: 'Subscribed', step: 20, success: true, type: 'success' },
      ],
    },
  ],
  programs: [
    { id: 1001, name: 'Webinar 2026', type: 'Event', channel: 'Webinar', folder: { id: 101, name: 'Events' } },
    { id: 1002, name: 'Newsletter', type: 'Default', channel: 'Email Newsletter', folder: { id: 102, name: 'Content' } },
  ],
  programMemberFields: [
    readOnly('leadId', 'Lead Id', 'integer'),
    readOnly('programId', 'Program Id', 'integer'),
    readOnly('membershipDate', 'Membership Date', 'datetime'),
    readOnly('statusName', 'Status Name', 'string'),
    readOnly('reachedSuccess', 'Reached Success', 'boolean'),
    { name: 'registrationCode', displayName: 'Registration Code', dataType: 'string', length: 255 },
    { name: 'attendanceMinutes', displayName: 'Attendance Minutes', dataType: 'integer' },
  ],
};
