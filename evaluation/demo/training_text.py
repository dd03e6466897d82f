# ruff: noqa: E501 - a paragraph of markup is one line: a line break inside one shows as a break.
"""What the demo's trainings say (evaluation/demo/trainings.py builds them): the mentors' pre-match
training and the orientation for parents and guardians, in the site's markup (mentorship/markup.py).
Written for the demo's program: City Youth Mentoring, young people aged 12 to 18 (most are 14 to
17) and adult volunteer mentors.
"""

PRE_MATCH_TITLE = "Before your first match: mentor pre-match training"
PRE_MATCH_SUMMARY = (
    "What every mentor needs before meeting a young person: the program and your role, our safety "
    "rules, building the relationship, the first three meetings, goals and check-ins, and how a match "
    "ends well. Six short pages and a quiz; about two hours. Taken again every year."
)

PRE_MATCH_PAGES = [
    (
        "The program and your role",
        """\
City Youth Mentoring pairs a young person aged 12 to 18 (most are 14 to 17) with an adult volunteer from the city. You meet every two weeks for at least a year, in person or online. Young people come to us through their school, a youth worker, a parent, or on their own; many are the first in their family to think about college, an apprenticeship or a particular career.

## What a mentor is

A mentor is **a friend and a guide**: an adult who is on the young person's side, turns up when they said they would, and helps them think things through. You bring your experience of work, study and life; they bring what matters to them.

## What a mentor is not

- **Not a parent.** You do not set rules at home or take decisions for the family.
- **Not a teacher or tutor.** You can help with homework now and then, but the meetings are not lessons.
- **Not a counsellor or social worker.** If something serious comes up, your job is to listen and pass it to us (page 2), not to fix it yourself.

## What we ask of you

1. Meet every two weeks for at least twelve months.
2. Log a check-in on the site after every meeting, or when one was missed.
3. Follow the safety rules on the next page, every time.
4. Tell your coordinator early when something changes: a new job, a move, a worry.

## What we do for you

Your coordinator calls you twice in the first month and monthly after that, answers your questions, and steps in when something is difficult. You are never on your own with a problem.""",
    ),
    (
        "Safeguarding and the program's safety rules",
        """\
Safeguarding means keeping young people safe from harm, and it protects you too: clear rules mean nobody can misread what you do. These rules are the same for every pair.

## Where and how you meet

- Meet **in public places** (a library, a café, a museum, a park in daylight) **or online** through a video call. Never at your home or theirs, and never somewhere private.
- Plan meetings through the site's meetings page, so your coordinator can see when and where you meet.
- **No car lifts alone.** Meet where the young person can get to on their own or with a parent.

## Keeping contact in the program

- Use the site's messages. **Do not share private contact details**: phone numbers, personal email or social media. The site holds back phone numbers and addresses in messages until a coordinator releases them, for both of you.
- No messages late at night; keep them about arranging and following up meetings.

## Gifts and money

No gifts and no money either way, and no lending. For an activity that costs something, ask your coordinator first: the program has a small budget.

## If a young person tells you about harm

Sometimes a young person tells you something worrying: about home, about someone hurting them, about hurting themselves.

1. **Listen** calmly, and let them talk. Do not ask leading questions or look for proof.
2. **Do not promise to keep it secret.** Say you are glad they told you and that you need to tell someone whose job is to help.
3. **Tell the safeguarding lead the same day**, with "Raise a concern" on your match page or by phone. Write down what was said, in their words.
4. If they are in immediate danger, call **999** first.

When in doubt, raise it. You will never be in trouble for a concern raised in good faith.""",
    ),
    (
        "Building the relationship",
        """\
Research on youth mentoring keeps finding the same thing: what helps young people is a relationship that lasts and that they trust. Advice matters less than you think; showing up matters more.

## Be consistent

- Turn up, on time, every time. If you must cancel, say so early and offer a new date.
- Young people who have been let down by adults before may test you: late replies, a missed meeting, a shrug. Stay steady and friendly. Trust takes months, not weeks.

## Let them lead

- Ask what **they** want to do and talk about. Offer two or three choices when they cannot think of anything.
- Their goals are theirs. You can share what worked for you, but it is their decision.
- Fun counts: a game of pool or a walk is time well spent. Many good conversations happen side by side.

## Listen more than you talk

- Ask open questions ("What was the best part of your week?") rather than yes/no ones.
- Reflect back what you hear ("It sounds like that lesson really annoyed you").
- Sit with silence; do not rush to fill it or to solve the problem.
- Do not judge. Respect their background, culture, beliefs and the way they speak.

## Notice what is going well

Praise effort, not only results: "You kept going with that form even when it was boring." Small steps noticed out loud build confidence.

## Look after yourself

Some weeks will feel like nothing happened. That is normal. Talk to your coordinator if you feel stuck: they have seen many pairs through the quiet patch.""",
    ),
    (
        "The first three meetings",
        """\
The first meetings set the tone. Plan them through the site's meetings page, somewhere easy and public. Your coordinator will be at or close to the first one.

## Meeting 1: getting to know each other

- Introduce yourself simply: your work, what you do for fun, why you volunteered.
- Ask about them: school, interests, what they would like from the program.
- Explain what happens next: how often you meet, where, and that your coordinator checks in with you both.
- Keep it short: about an hour is plenty.

## Meeting 2: the agreement

Go through **the match agreement** together (it is on your match page) and both confirm it on the site. Talk through:

- how often and where you meet, and what happens if one of you cannot make it;
- how you stay in touch (the site's messages only);
- what each of you hopes for, and what you would both like to avoid.

## Meeting 3: something to do

Do an activity they chose: a museum, a football match, a walk, cooking something. Start talking about what they might want to work on over the year; no pressure to decide yet.

## Conversation starters

- "What is something you are good at that most people do not know?"
- "If you could learn anything at all, what would it be?"
- "What is the best thing and the hardest thing about school right now?"
- "What would a perfect Saturday look like?"
- "Who is someone you look up to, and why?"

## Setting expectations

Be honest about what you can offer. It is better to promise one meeting every two weeks and keep it than to promise every week and drift. Young people notice.""",
    ),
    (
        "Goals and check-ins",
        """\
After a few meetings most pairs pick one or two things to work on. The goals belong to the young person: you help them make the goal clear and the steps small.

## Goals that work

A good goal is **specific** (what exactly), **measurable** (how will we know), **realistic**, and has **a date**:

- Not "do better at school", but "hand in every maths homework on time until the half-term break".
- Not "get a job", but "write a CV and send it to three Saturday jobs by the end of March".

Add the goal on the site's goals page together, with a target date. Break it into steps you can check at the next meeting. Update it when it changes: dropping a goal that no longer fits is fine.

## Logging a check-in after each meeting

After every meeting, one of you logs a check-in on the match page (it takes a minute):

1. the date and whether the meeting happened;
2. how long, and how you met (in person, video, phone);
3. how it went, from 1 to 5;
4. a line of notes: what you did, anything to follow up.

Log missed meetings too. Your coordinator reads check-ins to spot pairs who need help early, and the program reports them (without names) to the people who fund it.

## Keep notes factual

Write what happened, not opinions about the young person or their family. The young person can read their own match page. Anything worrying goes in a concern to the safeguarding lead, never in check-in notes.""",
    ),
    (
        "Boundaries, closure and getting help",
        """\
## Boundaries

You can be warm and friendly and still keep clear limits:

- keep contact to the program's times and channels;
- do not take on family problems, money worries or school disputes yourself: tell your coordinator;
- be careful what you share online; do not follow or friend your mentee on social media;
- never be alone with them in a private place.

If a young person asks for something you are not comfortable with, say no kindly and tell your coordinator.

## Breaks

Life happens: illness, exams, a new baby, a busy season at work. Tell your coordinator and set a break on the site with a return date. The match stays open and nobody is matched in your place.

## When a match ends

Every match ends: at the end of the year, when the young person moves on, or earlier if it is not working. What matters is that it **ends well**:

1. Talk to your coordinator first; never just stop replying.
2. Plan a last meeting together: look back at what you did and what they achieved.
3. Say a proper goodbye. Leaving without one teaches a young person that adults disappear.
4. Do not promise to stay in touch privately: contact after the match follows the program's rules.

Your coordinator closes the match on the site and sends you both a short survey. Your answers help us improve the program.

## Getting help

- **Your coordinator**: everyday questions, ideas, worries about the match.
- **The safeguarding lead**: any concern about a young person's safety, the same day ("Raise a concern" on your match page).
- **Emergency**: call 999.

Thank you for volunteering. Now take the short quiz to finish the training.""",
    ),
]

# (question, choices, index of the right one, explanation)
PRE_MATCH_QUIZ = [
    (
        "Your mentee suggests meeting at your flat because it is raining. What do you do?",
        [
            "Agree, as long as a parent knows where they are",
            "Suggest a library or café instead: meetings are in public places or online",
            "Agree this once and tell your coordinator afterwards",
        ],
        1,
        "Meetings are always in a public place or online, never at your home or theirs. It keeps the "
        "young person safe and protects you from misunderstandings.",
    ),
    (
        "During a meeting your mentee tells you someone at home is hurting them, and asks you not to "
        "tell anyone. What is right?",
        [
            "Promise to keep it secret so they keep trusting you",
            "Ask detailed questions to find out whether it is true",
            "Listen, say you cannot keep it secret, and tell the safeguarding lead the same day",
            "Wait for the next meeting to see whether they mention it again",
        ],
        2,
        "Listen calmly, never promise secrecy, and tell the safeguarding lead the same day (Raise a "
        "concern on your match page). Call 999 first if they are in immediate danger.",
    ),
    (
        "Your mentee asks for your phone number so they can text you. What do you do?",
        [
            "Give it: texting is easier than the site",
            "Keep to the site's messages; contact details are shared only if a coordinator agrees",
            "Give them your personal email address instead",
        ],
        1,
        "Contact stays in the program's messages. The site even holds back phone numbers in messages "
        "until a coordinator releases them.",
    ),
    (
        "Which of these is a goal your mentee can own and track?",
        [
            "Be more confident",
            "Write a CV and send it to three Saturday jobs by the end of March",
            "Do what my mentor suggests",
        ],
        1,
        "A good goal is specific, measurable, realistic and dated, and it is the young person's own.",
    ),
    (
        "When do you log a check-in?",
        [
            "After every meeting, and when a planned meeting was missed",
            "Once a month, when the coordinator asks",
            "Only when something went wrong",
        ],
        0,
        "A check-in after every meeting (or missed one) lets your coordinator spot a pair who needs help early.",
    ),
    (
        "You are moving to another city in two months. What is the best way to end the match?",
        [
            "Stop replying to messages after the move",
            "Tell your coordinator now and plan a last meeting to say goodbye properly",
            "Promise to keep in touch by phone instead",
        ],
        1,
        "Talk to your coordinator first and plan a good ending together: a proper goodbye matters, and "
        "contact after the match follows the program's rules.",
    ),
]

ORIENTATION_TITLE = "Orientation for parents and guardians"
ORIENTATION_SUMMARY = (
    "Three short pages for the parent or guardian of a young person joining the program: what "
    "mentoring is, how we keep young people safe, and how you stay informed. About half an hour."
)

ORIENTATION_PAGES = [
    (
        "What mentoring is, and what it is not",
        """\
City Youth Mentoring pairs your child with an adult volunteer from the city: someone who works, studies or has brought up a family here and wants to help a young person find their way. They meet every two weeks for about a year.

## What mentoring is

- **A trusted adult on your child's side**, outside family and school, who listens and helps them think things through.
- **Time for what your child chooses**: talking about school, trying an activity, planning what comes after school, writing a first CV.
- **Goals your child sets**, with their mentor's help: small, clear steps they can be proud of.

## What mentoring is not

- It does not replace you. Mentors do not make family decisions or set rules at home.
- It is not tutoring or therapy, though a mentor may help with homework now and then and will point to the right help when needed.
- It is not a commitment for you: your child takes part, and you stay informed.

## Who the mentors are

Every mentor applied, was interviewed, gave two references, had a criminal record (DBS) check and completed our training before meeting a young person. They agree to the program's rules and are supported by a coordinator throughout.""",
    ),
    (
        "How we keep young people safe",
        """\
Your child's safety comes first in everything the program does.

## The rules every pair follows

- Meetings are in **public places** (a library, a café, a museum) **or online**, never at anyone's home.
- Mentors never give lifts alone, and never give or receive gifts or money.
- Contact stays in the program's own messages. Phone numbers and other contact details in messages are held back until a coordinator releases them.
- Meetings are planned on the site, so the coordinator can see when and where the pair meets.

## Who watches over the match

A coordinator checks in with your child and the mentor twice in the first month and monthly after that, and reads the short notes the pair logs after each meeting. The program has a **safeguarding lead** who acts the same day on any worry, from anyone.

## What mentors are trained to do

If a young person tells a mentor about harm, the mentor listens, does not promise secrecy, and tells the safeguarding lead the same day. If you are ever worried about something a mentor said or did, tell us straight away (next page).""",
    ),
    (
        "Staying informed, raising a concern, withdrawing",
        """\
## Staying informed

We email you when your child is matched, with the mentor's first name and the coordinator's name, and again when the match ends. Every email links to **your page** on our site: keep that email.

It is good to talk with your child about their meetings, but let them share what they want to: some of the value of a mentor is having an adult of their own to talk to.

## Raising a concern

If anything worries you, about the mentor, a meeting, or your child's wellbeing:

1. Use **Raise a concern** on your page. It goes straight to the safeguarding lead, who reads it the same day.
2. Or call the program office during working hours.
3. If your child is in immediate danger, call **999**.

You do not need proof, and you will never be a nuisance: we would always rather hear about a small worry.

## Withdrawing your consent

You can withdraw your consent at any time from your page, without giving a reason. Your child's match stops at once: they can no longer meet or message their mentor, and the coordinator contacts you and your child to close things kindly.

Thank you for letting your child take part. Two quick questions finish the orientation.""",
    ),
]

ORIENTATION_QUIZ = [
    (
        "Where may your child and their mentor meet?",
        ["At the mentor's home", "In public places or online", "Anywhere they both agree"],
        1,
        "Meetings are always in public places or online, and planned on the site.",
    ),
    (
        "You are worried about something the mentor said. What should you do?",
        [
            "Wait until the end of the match",
            "Raise a concern from your page, or call the program: the safeguarding lead acts the same day",
            "Ask your child to stop replying to the mentor",
        ],
        1,
        "Any worry, however small, goes to the safeguarding lead through your page or by phone.",
    ),
]
