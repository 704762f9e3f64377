import { logNormalInt, pick } from './draws.ts';

/**
 * English tweets like those of an emotion-labelled tweet set: everyday feelings in casual phrases,
 * sometimes a mention, hashtags or emoji. Word counts follow a log-normal: mostly 10–30, up to 60.
 */
const PHRASES = [
  "can't believe how happy I am today",
  'so tired of waiting for this to end',
  'just got the best news ever',
  'why does this always happen to me',
  'feeling really anxious about tomorrow',
  'my heart is so full right now',
  'honestly this made my whole week',
  'I am so angry I could scream',
  'missing my family a lot tonight',
  'cannot stop laughing at this video',
  'the weather is ruining my mood again',
  'thank you all for the kind words',
  'nothing ever goes the way I plan it',
  'finally finished the project and I feel great',
  'this traffic is driving me crazy',
  'so proud of my little sister',
  'I really hate mondays like this',
  'what a beautiful morning to be alive',
  'scared to open my exam results',
  'lost my keys for the third time this week',
  'coffee first and then we talk',
  'still thinking about that amazing concert last night',
  'people can be so rude sometimes',
  'can anyone recommend a good book to read',
  'my dog is the only one who understands me',
  'so disappointed with how the game ended',
  'excited for the weekend with friends',
  'I hope things get better soon',
  'the new episode was absolutely terrifying',
  'grateful for every single one of you',
];
const HASHTAGS = ['#blessed', '#mondaymotivation', '#fml', '#happy', '#angry', '#love', '#anxiety', '#grateful', '#fail', '#goals'];
const MENTIONS = ['@jenny_b', '@mike88', '@the_real_sam', '@newsdaily', '@coffeeaddict', '@lucy'];
const EMOJI = ['😂', '😭', '❤️', '😡', '🙏', '😍', '😱', '🎉', '😔', '🔥'];

const PUNCTUATION = ['.', '!', '', '...', '!!', '?'];
const MAX_WORDS = 60;

export function tweet(random: () => number): string {
  const target = logNormalInt(random, 17, 0.45, 4, MAX_WORDS);
  const mention = random() < 0.2 ? [pick(MENTIONS, random)] : [];
  const tags = random() < 0.3 ? [pick(HASHTAGS, random)] : [];
  const emoji = random() < 0.25 ? [pick(EMOJI, random)] : [];
  const bodyWords = Math.max(1, target - mention.length - tags.length - emoji.length);
  // Whole phrases, each ended like a sentence, until the body is about as long as drawn.
  const words: string[] = [];
  do {
    const phrase = `${pick(PHRASES, random)}${pick(PUNCTUATION, random)}`.split(' ');
    if (words.length > 0 && words.length + phrase.length > MAX_WORDS - 3) break;
    words.push(...phrase);
  } while (words.length < bodyWords - 2);
  return [...mention, ...words, ...tags, ...emoji].join(' ');
}
