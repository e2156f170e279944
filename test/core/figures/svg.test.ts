import { describe, expect, it } from 'vitest';
import { mathText } from '../../../core/figures/svg';

describe('labels in SVG text', () => {
  it('renders sub- and superscripts as tspans and escapes the rest', () => {
    expect(mathText('‖W − Ŵ_L‖_F^2 <x>')).toBe('‖W − Ŵ<tspan baseline-shift="sub" font-size="75%">L</tspan>‖<tspan baseline-shift="sub" font-size="75%">F</tspan><tspan baseline-shift="super" font-size="75%">2</tspan> &lt;x&gt;');
  });
});
