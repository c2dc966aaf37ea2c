/**
 * A believable but fictional district: 3 streets × 3 communities × 4 grid cells,
 * laid out as rectangles so tests can reason about which point falls where.
 */
export interface AreaSeed {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community' | 'grid';
  parentCode: string | null;
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  aliases: string[];
}

const rect = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

export const DISTRICT_BOUNDS = { west: 120.1, south: 30.2, east: 120.28, north: 30.29 };

export const demoStreets = [
  {
    name: '东湖街道',
    roads: ['东湖路', '湖滨大道', '望江路', '春晖街'],
    communities: [
      { name: '湖畔社区', places: ['湖畔花园', '东湖小学', '湖畔菜市场'] },
      { name: '望江社区', places: ['望江小区', '望江公园', '地铁望江站'] },
      { name: '春晖社区', places: ['春晖苑', '春晖超市', '春晖幼儿园'] },
    ],
  },
  {
    name: '西城街道',
    roads: ['西城大街', '文昌路', '解放路', '学院路'],
    communities: [
      { name: '文昌社区', places: ['文昌阁小区', '文昌中学', '西城医院'] },
      { name: '解放社区', places: ['解放新村', '解放路菜场', '人民广场'] },
      { name: '学院社区', places: ['学院里小区', '师范学院', '学院路公交站'] },
    ],
  },
  {
    name: '南山街道',
    roads: ['南山路', '建设大道', '青年路', '和平巷'],
    communities: [
      { name: '青年社区', places: ['青年公寓', '青年广场', '南山体育馆'] },
      { name: '和平社区', places: ['和平里', '和平小学', '老街菜市场'] },
      { name: '建设社区', places: ['建设新城', '建设大厦', '地铁建设路站'] },
    ],
  },
];

export function demoAreas(): AreaSeed[] {
  const { west, south, east, north } = DISTRICT_BOUNDS;
  const out: AreaSeed[] = [
    {
      code: 'D01',
      name: '示范区',
      level: 'district',
      parentCode: null,
      geometry: rect(west, south, east, north),
      aliases: [],
    },
  ];
  const sw = (east - west) / demoStreets.length;
  demoStreets.forEach((st, si) => {
    const sCode = `D01-S0${si + 1}`;
    const sWest = west + si * sw;
    out.push({
      code: sCode,
      name: st.name,
      level: 'street',
      parentCode: 'D01',
      geometry: rect(sWest, south, sWest + sw, north),
      aliases: st.roads,
    });
    const ch = (north - south) / st.communities.length;
    st.communities.forEach((c, ci) => {
      const cCode = `${sCode}-C0${ci + 1}`;
      const cSouth = south + ci * ch;
      out.push({
        code: cCode,
        name: c.name,
        level: 'community',
        parentCode: sCode,
        geometry: rect(sWest, cSouth, sWest + sw, cSouth + ch),
        aliases: c.places,
      });
      for (let g = 0; g < 4; g++) {
        const gx = g % 2;
        const gy = Math.floor(g / 2);
        const gw = sWest + (gx * sw) / 2;
        const gs = cSouth + (gy * ch) / 2;
        out.push({
          code: `${cCode}-G0${g + 1}`,
          name: `${c.name}第${g + 1}网格`,
          level: 'grid',
          parentCode: cCode,
          geometry: rect(gw, gs, gw + sw / 2, gs + ch / 2),
          aliases: [],
        });
      }
    });
  });
  return out;
}

export interface DepartmentSeed {
  code: string;
  name: string;
  agency?: string;
}

export const demoDepartments: DepartmentSeed[] = [
  { code: 'SRHW', name: '市容环境卫生管理所' },
  { code: 'SZSS', name: '市政设施管理处' },
  { code: 'YLLH', name: '园林绿化管理所' },
  { code: 'ZF-S01', name: '东湖街道城管执法中队' },
  { code: 'ZF-S02', name: '西城街道城管执法中队' },
  { code: 'ZF-S03', name: '南山街道城管执法中队' },
  { code: 'ZJ', name: '区住房和城乡建设局' },
  { code: 'ZB-12345', name: '12345 热线转办', agency: '12345' },
];

export interface RuleSeed {
  category: string;
  area: string | null;
  department: string;
  hours: number;
  type: 'working' | 'calendar';
  priority: '紧急' | '较急' | '一般';
}

const perStreet = (category: string, hours: number, priority: RuleSeed['priority'] = '一般'): RuleSeed[] =>
  ['S01', 'S02', 'S03'].map((s) => ({
    category,
    area: `D01-${s}`,
    department: `ZF-${s}`,
    hours,
    type: 'working' as const,
    priority,
  }));

/** The 指挥手册 of the demo city: 大类 rules as defaults, 小类 and street rules where ownership differs. */
export const demoRules: RuleSeed[] = [
  { category: '1001', area: null, department: 'SZSS', hours: 48, type: 'working', priority: '一般' },
  { category: '100111', area: null, department: 'SZSS', hours: 4, type: 'calendar', priority: '紧急' },
  { category: '100113', area: null, department: 'SZSS', hours: 8, type: 'calendar', priority: '较急' },
  { category: '1002', area: null, department: 'SZSS', hours: 48, type: 'working', priority: '一般' },
  { category: '1003', area: null, department: 'SRHW', hours: 24, type: 'working', priority: '一般' },
  { category: '1004', area: null, department: 'YLLH', hours: 72, type: 'working', priority: '一般' },
  { category: '1005', area: null, department: 'SZSS', hours: 72, type: 'working', priority: '一般' },
  { category: '1006', area: null, department: 'SZSS', hours: 72, type: 'working', priority: '一般' },
  { category: '2001', area: null, department: 'SRHW', hours: 24, type: 'working', priority: '一般' },
  ...perStreet('200101', 72),
  ...perStreet('2002', 24),
  { category: '2003', area: null, department: 'ZJ', hours: 48, type: 'working', priority: '一般' },
  { category: '2004', area: null, department: 'SZSS', hours: 4, type: 'calendar', priority: '紧急' },
  ...perStreet('2005', 8, '较急'),
  ...perStreet('202101', 8, '较急'),
  { category: '202102', area: null, department: 'YLLH', hours: 12, type: 'calendar', priority: '较急' },
  { category: '9900', area: null, department: 'ZB-12345', hours: 24, type: 'working', priority: '一般' },
];

export const demoStaff = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' as const, department: null },
  { username: 'supervisor', displayName: '值班长 陈明', role: 'supervisor' as const, department: null },
  { username: 'agent', displayName: '坐席 李娜', role: 'agent' as const, department: null, extension: '8001' },
  { username: 'szss', displayName: '市政设施处 王工', role: 'department' as const, department: 'SZSS' },
  { username: 'srhw', displayName: '环卫所 赵工', role: 'department' as const, department: 'SRHW' },
];
