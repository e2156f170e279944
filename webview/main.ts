import './zodConfig';
import 'uplot/dist/uPlot.min.css';
import './lab.css';
import { Lab } from './lab';

// Entry point of dist/webview/lab.js (the Lab webview bundle).

declare global {
  interface Window {
    /** The running Lab (browser tests read `draws` and call `loseWebglContext`). */
    dflLab?: Lab;
  }
}

const lab = new Lab();
window.dflLab = lab;
void lab.start();
