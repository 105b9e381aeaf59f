// Script-tag entry (dist/feedpulse.min.js): reads its own <script> tag's data attributes
// and starts the SDK plus widget as window.feedpulse. See docs/script-tag.md.
import { init } from '../widget/init';
import { startEmbed } from './start';

startEmbed(init);
