import { logNormalInt, pick } from './draws.ts';

/**
 * Short Mandarin sentences in the style of Tatoeba's zho–eng pairs: everyday subjects, times and
 * verb phrases joined into one to a few clauses. Lengths (in characters, punctuation included) follow
 * a log-normal: most 5–20, a tail to 60.
 */
const SUBJECTS = [
  '我', '你', '他', '她', '我们', '你们', '他们', '汤姆', '玛丽', '老师', '我妈妈', '我爸爸', '我的朋友',
  '这个孩子', '我哥哥', '她妹妹', '大家', '学生们', '那个人', '医生', '我的同事', '邻居',
];
const TIMES = ['今天', '昨天', '明天', '现在', '每天', '晚上', '早上', '周末', '上个星期', '下个月', '刚才', '去年', '以后'];
const ADVERBS = ['很', '也', '都', '经常', '还', '已经', '一直', '真的', '不', '没', '常常', '马上'];
const PREDICATES = [
  '喜欢看书', '去学校', '吃早饭', '学习中文', '买了一本书', '在家里休息', '给他打电话', '等公共汽车', '工作到很晚',
  '睡觉', '喝咖啡', '看电影', '做作业', '写信', '说英语', '去北京', '回家', '打扫房间', '学开车', '听音乐',
  '去医院', '找工作', '做饭', '踢足球', '游泳', '跑步', '忘了带钥匙', '住在东京', '弹钢琴', '读报纸',
  '想去旅行', '在图书馆学习', '坐火车去上海', '喜欢这首歌', '不知道怎么办', '需要你的帮助', '明白你的意思',
];
const STATES = ['很忙', '很高兴', '累了', '饿了', '生病了', '很紧张', '很开心', '迟到了', '很幸福', '很害怕', '很冷'];
const CONNECTORS = ['但是', '所以', '因为', '而且', '可是', '然后'];
const MAX_CHARS = 60; // the ending (up to two characters, e.g. 吗？) included
const ENDINGS = ['。', '。', '。', '。', '？', '！'];

function clause(random: () => number, withConnector: boolean): string {
  const time = random() < 0.35 ? pick(TIMES, random) : '';
  const connector = withConnector && random() < 0.5 ? pick(CONNECTORS, random) : '';
  const subject = pick(SUBJECTS, random);
  if (random() < 0.25) return `${connector}${subject}${time}${pick(STATES, random)}`;
  const adverb = random() < 0.3 ? pick(ADVERBS, random) : '';
  return `${connector}${subject}${time}${adverb}${pick(PREDICATES, random)}`;
}

export function chineseSentence(random: () => number): string {
  const target = logNormalInt(random, 10, 0.6, 3, MAX_CHARS);
  let sentence = clause(random, false);
  // Another clause only while it brings the length nearer the drawn target (and within MAX_CHARS).
  for (;;) {
    const next = clause(random, true);
    const longer = sentence.length + next.length + 2;
    if (longer > MAX_CHARS - 2 || Math.abs(longer - target) >= Math.abs(sentence.length + 1 - target)) break;
    sentence += `，${next}`;
  }
  const ending = pick(ENDINGS, random);
  return ending === '？' ? `${sentence}吗？` : `${sentence}${ending}`;
}
