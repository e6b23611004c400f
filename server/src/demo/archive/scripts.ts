/**
 * What is said in the demo's past Living Lab panels: a short script per panel on the themes of
 * the foundation's documents (shared/seeds), written anew, spoken by the speakers of
 * server/src/demo/speakers.ts. Each script also names its live moments — the audience questions
 * the moderator reads out and the poll — by turn, so their times follow the generated audio.
 *
 * Spoken text avoids digits and rare names where it can: the offline recognizer knows common
 * English words best, and the transcript is what search finds.
 */

export interface DemoTurn {
  /** A speaker slug from speakers.ts. */
  speaker: string;
  text: string;
}

/** An audience question, pinned as "answering now" from turn `asked` to the end of turn `answered`. */
export interface DemoQuestion {
  text: string;
  /** Who asked (null: asked anonymously). */
  author: string | null;
  votes: number;
  asked: number;
  answered: number;
}

/** A single-choice poll launched at the start of turn `opens`, closed at the start of turn `closes`. */
export interface DemoPoll {
  question: string;
  options: string[];
  /** Votes per option. */
  counts: number[];
  opens: number;
  closes: number;
}

export interface DemoPanelScript {
  /** The demo event (events.ts) this is the recording of. */
  slug: string;
  /** A speaker slug: speaks the opening and the questions (with the clearest voice). */
  moderator: string;
  turns: DemoTurn[];
  questions: DemoQuestion[];
  polls: DemoPoll[];
}

export const DEMO_PANEL_SCRIPTS: DemoPanelScript[] = [
  {
    slug: 'living-lab-1-vibrant-learning-communities',
    moderator: 'leila-haddad',
    turns: [
      {
        speaker: 'leila-haddad',
        text: 'Good afternoon and welcome to the first panel of the Living Lab. Today we ask how a learning ecosystem begins, what helps it grow, and whether it changes a community. Elena, let us start with you.',
      },
      {
        speaker: 'elena-ruiz',
        text: 'In our city the ecosystem did not begin with a plan. It began when a library, a youth center and a bus company agreed to share one calendar. Start with what people already do, and connect it.',
      },
      {
        speaker: 'wanjiru-kamau',
        text: 'I would add trust. Our head teachers only joined when they saw other schools solving real problems together. A network grows when members bring their own questions.',
      },
      {
        speaker: 'leila-haddad',
        text: 'Our poll is open now. What holds a learning ecosystem back the most? Money, trust between partners, or a shared goal? Please vote while Arjun speaks.',
      },
      {
        speaker: 'arjun-raman',
        text: 'For us the hardest part was a shared goal. Every partner wanted to measure something different. When we agreed on one question, how many children can read well by the age of ten, the partners began to share their data.',
      },
      {
        speaker: 'leila-haddad',
        text: 'Here is a question from the audience. How do you keep families involved after the first meeting? Wanjiru, would you take that one?',
      },
      {
        speaker: 'wanjiru-kamau',
        text: 'We give families a real role. Parents run the reading clubs on Saturday morning, and the school leader visits every club. When people own a piece of the work, they come back.',
      },
      {
        speaker: 'leila-haddad',
        text: 'The poll is closed. Most of you chose trust between partners, and a shared goal came second. Thank you all for joining us.',
      },
    ],
    questions: [
      {
        text: 'How do you keep families involved after the first meeting?',
        author: 'Samira from Casablanca',
        votes: 14,
        asked: 5,
        answered: 6,
      },
    ],
    polls: [
      {
        question: 'What holds a learning ecosystem back the most?',
        options: ['Money', 'Trust between partners', 'A shared goal'],
        counts: [9, 23, 15],
        opens: 3,
        closes: 7,
      },
    ],
  },
  {
    slug: 'living-lab-2-cities-nurture-learning',
    moderator: 'leila-haddad',
    turns: [
      {
        speaker: 'leila-haddad',
        text: 'Welcome to the second panel of the Living Lab. Today we talk about place: the streets, parks, libraries and screens around every learner. How can a city nurture learning? Elena, you design these spaces.',
      },
      {
        speaker: 'elena-ruiz',
        text: 'A city teaches all the time, whether it plans to or not. We turned a metro station into a reading room and a park into a science lab. The point is that a young person can learn on the way home.',
      },
      {
        speaker: 'camille-arnaud',
        text: 'The problem is that cities and schools answer to different people. The countries that do this well give mayors and school leaders one shared budget for learning outside the classroom.',
      },
      {
        speaker: 'leila-haddad',
        text: 'Time for our poll. Where do young people in your city learn most outside school? In a library, in a park, or online at home?',
      },
      {
        speaker: 'karim-saab',
        text: 'For many families in Lebanon the answer is online, on a phone, with a weak connection. So we send short lessons as voice messages, and school leaders meet on a phone call instead of a video call.',
      },
      {
        speaker: 'leila-haddad',
        text: 'We have a question from the audience. What can a small town do without a big budget? Camille, what would you say?',
      },
      {
        speaker: 'camille-arnaud',
        text: 'Start by opening what you already have. A school yard can be a sports club in the evening, and the town hall can host a homework club. Sharing buildings costs very little.',
      },
      {
        speaker: 'leila-haddad',
        text: 'The poll is closed, and online at home came first, just ahead of the library. Thank you for joining us.',
      },
    ],
    questions: [
      {
        text: 'What can a small town do to nurture learning without a big budget?',
        author: null,
        votes: 21,
        asked: 5,
        answered: 6,
      },
    ],
    polls: [
      {
        question: 'Where do young people in your city learn most outside school?',
        options: ['In a library', 'In a park or public space', 'Online at home'],
        counts: [18, 7, 22],
        opens: 3,
        closes: 7,
      },
    ],
  },
  {
    slug: 'living-lab-3-build-a-learning-ecosystem',
    moderator: 'tom-whitcombe',
    turns: [
      {
        speaker: 'tom-whitcombe',
        text: 'Welcome to the third panel of the Living Lab. Our practitioners will tell us what it takes to launch a learning ecosystem: where they started, and who they brought in first. Thandiwe, please begin.',
      },
      {
        speaker: 'thandiwe-dlamini',
        text: 'We pair a school principal with a business leader for one year. We thought the business leader would teach the principal. In fact they learn from each other, and the business leader learns how hard it is to lead a school.',
      },
      {
        speaker: 'nadia-bensaid',
        text: 'In rural areas the first people to bring in are the principals themselves. We started small circles of five principals who meet every month to solve one problem together.',
      },
      {
        speaker: 'tom-whitcombe',
        text: 'Our poll is open. Who should be at the table first when you build a learning ecosystem? School leaders, families, or the local government?',
      },
      {
        speaker: 'wanjiru-kamau',
        text: 'I would say school leaders, because they carry the work every day. We promised our head teachers two things: less paperwork, and more time with teachers in the classroom.',
      },
      {
        speaker: 'tom-whitcombe',
        text: 'We have a question from the audience. What would you do differently next time? Nadia, over to you.',
      },
      {
        speaker: 'nadia-bensaid',
        text: 'I would measure from the first day. We waited two years before we collected data, and then it was hard to show what had changed.',
      },
      {
        speaker: 'tom-whitcombe',
        text: 'The poll is closed. School leaders came first, and families were a close second. Thank you to our panel and to all of you.',
      },
    ],
    questions: [
      {
        text: 'Looking back, what would you do differently next time you build an ecosystem?',
        author: 'Daniel from Johannesburg',
        votes: 17,
        asked: 5,
        answered: 6,
      },
    ],
    polls: [
      {
        question: 'Who should be at the table first when you build a learning ecosystem?',
        options: ['School leaders', 'Families', 'Local government'],
        counts: [26, 21, 6],
        opens: 3,
        closes: 7,
      },
    ],
  },
];

/**
 * A short panel (about 15–20 s of speech) with one question and one poll, for tests: the whole
 * pipeline in a fraction of the time. `slug` picks the demo event it is recorded for.
 */
export function shortDemoScript(slug = 'living-lab-1-vibrant-learning-communities'): DemoPanelScript {
  return {
    slug,
    moderator: 'leila-haddad',
    turns: [
      {
        speaker: 'leila-haddad',
        text: 'Welcome to the Living Lab. Today we talk about how teachers learn from each other.',
      },
      {
        speaker: 'leila-haddad',
        text: 'Here is a question from the audience. How do families stay involved?',
      },
      {
        speaker: 'wanjiru-kamau',
        text: 'Parents run the reading clubs on Saturday morning, and the school leader visits every club.',
      },
      { speaker: 'leila-haddad', text: 'The poll is closed. Thank you for joining us.' },
    ],
    questions: [
      { text: 'How do families stay involved?', author: 'Samira from Casablanca', votes: 3, asked: 1, answered: 2 },
    ],
    polls: [
      {
        question: 'Who should be at the table first?',
        options: ['School leaders', 'Families'],
        counts: [4, 6],
        opens: 0,
        closes: 3,
      },
    ],
  };
}

/** The words spoken in a script, in order (the reference for the word error rate). */
export function spokenText(script: DemoPanelScript): string {
  return script.turns.map((t) => t.text).join(' ');
}
