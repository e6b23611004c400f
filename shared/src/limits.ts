/** Limits shared by browser and server, so forms and the server agree. */
export const LIMITS = {
  /** Largest JSON body the REST API accepts. */
  jsonBodyBytes: 100 * 1024,
  /** Largest Socket.IO message the server accepts. */
  socketMessageBytes: 64 * 1024,
  /** Events per page on the catalogue listing. */
  eventsPageSize: 12,
  slugMaxLength: 80,
  titleMaxLength: 160,
  descriptionMaxLength: 20_000,
  nameMaxLength: 120,
  bioMaxLength: 2_000,
} as const;
