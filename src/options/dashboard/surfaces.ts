import type { Surface } from '../../shared/routes';

/** What each surface is called on the dashboard. */
export const surfaceLabels: Record<Surface, string> = {
  feed: 'Feed',
  explore: 'Explore',
  hashtag: 'Hashtag pages',
  reels: 'Reels',
  stories: 'Stories',
  direct: 'Messages',
  post: 'Posts',
  profile: 'Profiles',
  other: 'Other',
};

/** The CSS variable holding each surface's chart colour (options.css, light and dark). */
export const surfaceColour = (surface: Surface) => `--chart-${surface}`;
