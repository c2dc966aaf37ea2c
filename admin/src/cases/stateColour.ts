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
