export * from './errors.ts';
export * from './limits.ts';
export * from './catalogue.ts';
export * from './realtime.ts';
export * from './auth.ts';
