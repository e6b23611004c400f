/**
 * Demo series and events, from the foundation's documents in shared/seeds, written anew.
 * Times are wall-clock times in each event's own zone; upcoming ones are dated relative to
 * the day the demo is loaded, so the home page always has something coming.
 */
import type { EventStatus, SeriesInput } from '@colloquy/shared';

export const DEMO_SERIES: SeriesInput[] = [
  {
    slug: 'living-lab',
    title: 'Learning Ecosystems Living Lab',
    description: [
      'A community of practice for people who design **learning ecosystems**: networks of schools, libraries, employers, families and cities that share responsibility for learning.',
      '',
      'Each numbered panel brings practitioners, researchers and policymakers from different regions together to compare what they have tried, what failed and what they would do again. The Lab grew out of a research report on local learning ecosystems, which found plenty of theory and too few practical guides.',
      '',
      'What the Lab works towards:',
      '',
      '- naming the challenges that ecosystems share, and the solutions that depend on place;',
      '- research and content on high-impact practice and policy;',
      '- a shared store of design principles;',
      '- better learning where people live.',
    ].join('\n'),
  },
  {
    slug: 'all-in-working-sessions',
    title: 'ALL-IN: Agile Leaders of Learning Innovation Network',
    description: [
      'Working sessions of a global network on **school leadership development**: leaders of school associations, programme providers, researchers and policymakers, with a strong presence from African countries.',
      '',
      'The network started as a handful of exploratory conversations and became a place to share building blocks of leadership programmes, evaluate them through spirals of inquiry, and co-design better models that keep their quality as they grow.',
    ].join('\n'),
  },
];

export interface DemoEvent {
  slug: string;
  title: string;
  description: string;
  series: string | null;
  speakers: string[];
  location: string;
  timeZone: string;
  /** A calendar date, or a number of days from the load date. */
  date: string | { inDays: number };
  time: string;
  minutes: number;
  status: EventStatus;
}

export const DEMO_EVENTS: DemoEvent[] = [
  {
    slug: 'living-lab-1-vibrant-learning-communities',
    title: 'Panel #1 – Designing Vibrant and Purposeful Learning Communities',
    description: [
      'The first digital panel of the Living Lab asks how learning ecosystems come into being and how they change over time.',
      '',
      'Academics, practitioners and community leaders compare the principles, goals and engagement strategies behind ecosystems that work, and look at examples from several regions:',
      '',
      '- What helps an ecosystem grow, and what holds it back?',
      '- How does it change the community around it?',
      '- Can that change be measured, and how far?',
    ].join('\n'),
    series: 'living-lab',
    speakers: ['leila-haddad', 'elena-ruiz', 'wanjiru-kamau', 'arjun-raman'],
    location: 'Online',
    timeZone: 'Asia/Qatar',
    date: '2020-12-10',
    time: '14:00',
    minutes: 90,
    status: 'ended',
  },
  {
    slug: 'living-lab-2-cities-nurture-learning',
    title: 'Panel #2 – How can Cities Nurture Learning?',
    description: [
      'Debates about learning ecosystems tend to dwell on stakeholders, pedagogy and assessment. This panel turns to something just as important: the physical and digital places learners move through every day.',
      '',
      'Panellists discuss streets, libraries, transit and online spaces as parts of one learning environment, and what city governments can do to connect them.',
    ].join('\n'),
    series: 'living-lab',
    speakers: ['elena-ruiz', 'camille-arnaud', 'karim-saab', 'leila-haddad'],
    location: 'Online',
    timeZone: 'Asia/Qatar',
    date: '2021-02-16',
    time: '14:00',
    minutes: 90,
    status: 'ended',
  },
  {
    slug: 'living-lab-3-build-a-learning-ecosystem',
    title: 'Panel #3 – How to Build a Learning Ecosystem: Lessons from Practitioners',
    description: [
      'Following the Lab’s special focus on bringing ecosystems to life, four practitioners explain what it actually takes to design and launch one that has an impact.',
      '',
      'Expect concrete stories: where they started, who they had to bring in first, and what they would do differently next time.',
    ].join('\n'),
    series: 'living-lab',
    speakers: ['thandiwe-dlamini', 'wanjiru-kamau', 'tom-whitcombe', 'nadia-bensaid'],
    location: 'Online',
    timeZone: 'Asia/Qatar',
    date: '2021-04-27',
    time: '14:00',
    minutes: 90,
    status: 'ended',
  },
  {
    slug: 'all-in-doha-2017',
    title: 'ALL-IN exploratory meeting in Doha',
    description:
      'The first of a series of exploratory conversations about a global network for school leadership, held alongside the foundation’s 2017 summit in Doha.',
    series: 'all-in-working-sessions',
    speakers: ['leila-haddad', 'arjun-raman'],
    location: 'Doha, Qatar',
    timeZone: 'Asia/Qatar',
    date: '2017-11-15',
    time: '10:00',
    minutes: 180,
    status: 'ended',
  },
  {
    slug: 'all-in-accra-2018',
    title: 'ALL-IN working session in Accra',
    description: [
      'A working session for school leadership development organizations and associations of school leaders, especially from African countries, that build lasting programmes for their heads of school.',
      '',
      'Participants share the building blocks of their programmes, their innovations, their impact and their current difficulties, then evaluate and co-design improvements through spirals of inquiry.',
    ].join('\n'),
    series: 'all-in-working-sessions',
    speakers: ['kwame-asante', 'wanjiru-kamau', 'thandiwe-dlamini'],
    location: 'Accra, Ghana',
    timeZone: 'Africa/Accra',
    date: '2018-05-09',
    time: '09:30',
    minutes: 240,
    status: 'ended',
  },
  {
    slug: 'all-in-new-york-2018',
    title: 'ALL-IN working session in New York',
    description: [
      'About twenty-five academics, experts, association leaders and programme providers from five continents meet to exchange what they know about developing school leaders.',
      '',
      'Themes that came out of the day:',
      '',
      '- understand school leadership from several perspectives and learn from practice worldwide;',
      '- define leadership better, perhaps with competencies or quality standards;',
      '- keep an up-to-date, accessible body of research on school leadership;',
      '- measure impact, so that policy at school and district level rests on evidence.',
    ].join('\n'),
    series: 'all-in-working-sessions',
    speakers: ['arjun-raman', 'marcus-ellery', 'karim-saab', 'nadia-bensaid'],
    location: 'New York City, United States',
    timeZone: 'America/New_York',
    date: '2018-09-22',
    time: '09:00',
    minutes: 360,
    status: 'ended',
  },
  {
    slug: 'all-in-paris-2019',
    title: 'ALL-IN working session in Paris',
    description: [
      'The largest gathering of the network so far: forty-two people from fourteen countries, mostly leaders of school associations, programme providers, researchers and policymakers.',
      '',
      'The agenda:',
      '',
      '1. State of the field: learning across countries',
      '2. Innovative case studies of leadership development, from Australia, Canada, Hong Kong and Singapore',
      '3. Moving the agenda forward in collaborative working groups',
      '4. Case study groups: five researchers paired with five programme providers plan a year of fieldwork',
    ].join('\n'),
    series: 'all-in-working-sessions',
    speakers: ['leila-haddad', 'tom-whitcombe', 'camille-arnaud', 'marcus-ellery', 'claire-dubois'],
    location: 'Paris, France',
    timeZone: 'Europe/Paris',
    date: '2019-02-20',
    time: '09:00',
    minutes: 420,
    status: 'ended',
  },
  {
    slug: 'all-in-doha-2019',
    title: 'ALL-IN fourth meeting in Doha',
    description: [
      'More than thirty-five participants, many of them returning, joined by education experts and school leaders from Qatar.',
      '',
      'Two design challenges frame the day: how to grow leadership programmes without losing quality, and how to describe and evaluate their effect on knowledge, skills and dispositions. The five case studies begun in Paris are presented, and the network sketches its blueprint for the following year.',
    ].join('\n'),
    series: 'all-in-working-sessions',
    speakers: ['leila-haddad', 'tom-whitcombe', 'kwame-asante', 'claire-dubois'],
    location: 'Doha, Qatar',
    timeZone: 'Asia/Qatar',
    date: '2019-11-19',
    time: '09:00',
    minutes: 300,
    status: 'ended',
  },
  {
    slug: 'living-lab-4-learning-on-weak-networks',
    title: 'Panel #4 – Learning Ecosystems on Weak Networks',
    description: [
      'Many learners and teachers in the Lab’s community join from places where bandwidth is scarce and power is not guaranteed.',
      '',
      'Practitioners from Kenya, Lebanon, India and Morocco describe how they keep learning going over audio, text messages and shared devices, and what designers of ecosystems should plan for from day one.',
    ].join('\n'),
    series: 'living-lab',
    speakers: ['wanjiru-kamau', 'karim-saab', 'arjun-raman', 'nadia-bensaid'],
    location: 'Online',
    timeZone: 'Asia/Qatar',
    date: { inDays: 9 },
    time: '14:00',
    minutes: 90,
    status: 'scheduled',
  },
  {
    slug: 'all-in-measuring-leadership-impact',
    title: 'Open session: Measuring the Impact of School Leadership Programmes',
    description: [
      'An open online session of the ALL-IN network. Researchers and programme providers walk through an evaluation toolkit for leadership interventions and discuss how small organizations can gather evidence without a research budget.',
      '',
      'Questions from the audience are welcome before and during the session.',
    ].join('\n'),
    series: 'all-in-working-sessions',
    speakers: ['marcus-ellery', 'camille-arnaud', 'kwame-asante'],
    location: 'Online',
    timeZone: 'Europe/Paris',
    date: { inDays: 23 },
    time: '15:00',
    minutes: 75,
    status: 'scheduled',
  },
  {
    slug: 'scaling-with-quality',
    title: 'Scaling with Quality: A Design Challenge, Live',
    description:
      'Four programme leaders take one design challenge from the Doha meeting — growing a leadership programme without diluting it — and work it through in front of the audience, who vote on the trade-offs.',
    series: null,
    speakers: ['thandiwe-dlamini', 'tom-whitcombe', 'claire-dubois', 'arjun-raman'],
    location: 'Online',
    timeZone: 'America/New_York',
    date: { inDays: 44 },
    time: '10:00',
    minutes: 60,
    status: 'scheduled',
  },
];
