/** Tag colours per case state; purely visual. */
export const stateColour: Record<string, string> = {
  受理: 'blue',
  立案: 'geekblue',
  派遣: 'purple',
  处置中: 'gold',
  已处置: 'cyan',
  核查: 'lime',
  回访: 'magenta',
  结案: 'green',
  挂账: 'volcano',
  不予立案: 'default',
  转办: 'default',
};

/** The same states as solid colours for the map's canvas, which cannot use tag names. */
export const stateHex: Record<string, string> = {
  受理: '#1677ff',
  立案: '#2f54eb',
  派遣: '#722ed1',
  处置中: '#faad14',
  已处置: '#13c2c2',
  核查: '#a0d911',
  回访: '#eb2f96',
  结案: '#52c41a',
  挂账: '#fa541c',
};
