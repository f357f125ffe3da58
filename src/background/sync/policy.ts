/**
 * Moved to src/shared/domain/uploadPolicy.ts. This re-export only keeps router.ts's import working while another
 * change to router.ts is in progress; delete it once router.ts imports checkBackendUrl from the new place.
 */
export { checkBackendUrl } from '../../shared/domain/uploadPolicy';
