import type { Surface } from '../domain/routes';
import { messagesByName } from './i18n';

/** What each surface is called on the dashboard (and in the popup), in the current language. */
export const surfaceLabels = messagesByName<Surface>({
  feed: 'dashboardSurfaceFeed',
  explore: 'dashboardSurfaceExplore',
  hashtag: 'dashboardSurfaceHashtag',
  reels: 'dashboardSurfaceReels',
  stories: 'dashboardSurfaceStories',
  direct: 'dashboardSurfaceDirect',
  post: 'dashboardSurfacePost',
  profile: 'dashboardSurfaceProfile',
  other: 'dashboardSurfaceOther',
});

/** The CSS variable holding each surface's chart colour (options.css, light and dark). */
export const surfaceColour = (surface: Surface) => `--chart-${surface}`;
