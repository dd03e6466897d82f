# ruff: noqa: E501 - a paragraph of markup is one line: a line break inside one shows as a break.
"""What the demo's resource library says (evaluation/demo/resources.py builds it), in the site's
markup (mentorship/markup.py). Each entry: (title, summary, topic, audience, body)."""

SAFETY_RULES = """\
These rules keep young people safe and protect mentors from misunderstandings. They apply to every pair, every time. If something here does not fit your situation, ask your coordinator before you do it differently.

## Meetings

- Meet in **public places** (a library, a café, a museum, a park in daylight) **or online** by video call.
- Never meet at your home or the young person's home, or anywhere private.
- Plan every meeting on the site's meetings page, so your coordinator knows when and where.
- **No car lifts alone.** Choose places the young person can reach on their own or with a parent.

## Contact

- Keep contact in the site's messages. Do not share private phone numbers, personal email addresses or social media.
- The site holds back phone numbers and addresses in messages until a coordinator releases them.
- No messages late at night (after 9 pm) or during school hours.

## Gifts, money and photos

- No gifts, no money and no loans, either way. Ask your coordinator before any activity that costs money.
- Do not post photos of your mentee or share anything about them online.

## If you are worried

If a young person tells you about harm, or you are worried about their safety: listen, do not promise to keep it a secret, and **tell the safeguarding lead the same day** with "Raise a concern" on your match page. In an emergency call **999** first."""

AGREEMENT = """\
Every pair goes through this agreement at their second meeting and confirms it on the match page. It is short on purpose: it says what you can count on from each other.

## We agree to

1. Meet every two weeks for at least twelve months, for about an hour.
2. Meet in public places or online, planned on the site.
3. Keep in touch through the site's messages, and reply within two days.
4. Say early when we cannot make a meeting, and offer another date.
5. Log a check-in after each meeting (either of us can).
6. Respect each other: listen, be honest, no judging.
7. Keep what we talk about between us, **except** when someone's safety is at risk: then the mentor tells the safeguarding lead.

## The mentee's goals

The young person chooses what to work on; the mentor helps make the steps small and clear. Goals are written on the goals page and can change.

## If it is not working

Either of us can talk to the coordinator at any time, about anything, without the other being in trouble. A match can take a break, or end kindly, with a last meeting to say goodbye."""

FIRST_MEETING_MENTORS = """\
The first meeting is mostly about making the young person feel at ease. You do not need a plan for the whole year: you need an hour that went well.

## Before

- Read your mentee's profile on the match page: interests, what they hope for.
- Plan it on the meetings page, somewhere easy to find and not too loud. Your coordinator will be there or nearby.
- Bring nothing but yourself (and perhaps a pack of cards).

## During

- Arrive early. Greet them by name and introduce yourself simply.
- Ask about them first; share something about you in return. Keep questions open.
- Explain how the program works: every two weeks, in public, messages on the site.
- Ask what they would like to do next time. Write down two ideas.
- End on time, and say when you will see them next.

## After

- Log a check-in on the match page that evening.
- Send a short message: "Good to meet you, see you on the 14th."

## Good to know

Nerves on both sides are normal. Silence is fine. One-word answers at the first meeting say nothing about how the match will go."""

FIRST_MEETING_MENTEES = """\
Your first meeting with your mentor is just a chance to get to know each other. There is nothing to prepare and nothing to get right.

## Where and when

Your coordinator plans it with you and your mentor: somewhere public and easy to reach, like a library or a café, or a video call. It lasts about an hour. Your coordinator is there or close by.

## What happens

- You say hello and your mentor introduces themselves: their job, what they like doing.
- They will ask about you: school, what you enjoy, what you would like from the program. Say as much or as little as you like.
- You agree when to meet next and what you might do.

## Things you could ask your mentor

- "What did you want to be when you were my age?"
- "What is your job actually like?"
- "What do you do at the weekend?"

## Remember

- Your mentor is there for you: it is fine to say what you do and do not want to do.
- Meetings are always in public or online, and messages stay on the site.
- If anything ever makes you uncomfortable, tell your coordinator, or use "Raise a concern" on your match page."""

GOALS = """\
Most pairs pick one or two goals after a few meetings. The goal belongs to the young person; the mentor helps turn it into steps.

## A good goal

- **Specific**: what exactly? "Write my CV", not "sort out my future".
- **Measurable**: how will we know it is done?
- **Realistic**: possible with the time and help you have.
- **With a date**: a target, which can move.

## From wish to steps

1. Start from what they care about: "I want a Saturday job."
2. Make it a goal: "Have a CV and apply to three Saturday jobs by the end of March."
3. Break it down: list the jobs I have done at school; write a first draft together; ask a teacher to read it; find three places to apply.
4. Check one step at each meeting.

## On the site

Add the goal on the goals page of your match with its target date, and mark it in progress or done as you go. Dropping a goal that no longer fits is not failing: write a new one.

## Ideas young people in the program chose

Open a bank account; choose college courses; practise for an interview; finish a coding project; speak up once in every class; read one book a month."""

ACTIVITIES = """\
Good meetings do not need money. Most of these are free or cost the price of a drink. Ask your coordinator before anything that costs more: the program has a small budget for activities.

## Out and about (free)

1. Walk along the harbourside and talk.
2. Visit the city museum or art gallery.
3. Go to a free lunchtime concert.
4. Explore the central library: join together.
5. Watch a local football match from the free stand.
6. Take photos of the city on a theme (doors, colours, old signs).
7. Visit a street market and plan a meal on a £5 budget.
8. Feed the ducks and walk round the park.
9. Go to a free science or careers fair.
10. Volunteer together for an afternoon (a litter pick, a food bank).

## Talk and plan

11. Map out "my ideal week" in ten years' time.
12. Write a CV together.
13. Practise interview questions, then swap roles.
14. Look up three jobs you have never heard of.
15. Compare college and apprenticeship courses.
16. Plan a budget for a first flat.
17. Make a list of 20 things you are good at.
18. Write a letter to yourself to open in a year.
19. Read the same short story and talk about it.
20. Plan next month's meetings together.

## Make and play

21. Play chess, cards or a board game in a café.
22. Learn three chords on a library ukulele.
23. Draw comic strips of your week.
24. Cook a simple recipe at a community kitchen session.
25. Build something in a free coding tutorial.
26. Make a short video on a phone about your area.
27. Start a playlist of songs that matter to you both.
28. Try a free taster session at the leisure centre.
29. Design a T-shirt or logo.
30. Do a jigsaw or puzzle book together.

## Online meetings

31. Share screens and tour a university's virtual campus.
32. Play an online quiz.
33. Watch a short talk and discuss it.
34. Build a mood board for a dream career.
35. Do a typing or coding challenge.
36. Plan a dream trip with maps.
37. Create a revision timetable.
38. Learn ten words of each other's languages.
39. Write a short story in turns.
40. Try a free online course's first lesson together.

## Bigger days (ask your coordinator)

41. A college open day.
42. A workplace visit to the mentor's employer (arranged by the program).
43. A theatre matinee with program tickets.
44. An indoor climbing taster.
45. A day at the science centre.
46. A sports match with program tickets.
47. A careers talk at the university.
48. The program's summer picnic.
49. A cooking class.
50. A celebration meeting at the end of your year."""

CONVERSATION_STARTERS = """\
Good questions are open, friendly and not too personal at first. Pick one or two; do not run through a list.

## Getting to know each other

- What is something you are good at that most people do not know?
- What would a perfect Saturday look like?
- Which three things would you take to a desert island?
- What is the best thing you have watched or played lately?

## School and the future

- Which lesson makes the time go fastest? Which one drags?
- If you could learn anything at all, what would it be?
- What jobs have you heard of that sound interesting, even a little?
- Who is someone you look up to, and why?

## Looking back on the week

- What was the best part of your week? The hardest?
- What is something you are looking forward to?
- Did anything surprise you this week?

## When answers are short

- Talk side by side: walk, play a game, cook. It is easier than face to face.
- Share something about yourself first.
- Offer choices: "Would you rather talk about football or that film?"
- Let silence be; it is not a failure."""

SCHOOL_AND_EXAMS = """\
School comes up in most meetings, and exam seasons can be stressful for young people. Your role is to listen and encourage, not to tutor or to judge.

## Listening first

- Ask how school is going, not how their grades are.
- If they are struggling, ask what they think would help before offering ideas.
- Do not criticise teachers or the school; help them work out what they can do.

## Around exams

- Help plan a revision timetable with breaks in it, and check how it went at the next meeting.
- Share what worked for you, and what did not.
- Keep meetings going but lighter: a walk or a game can be a welcome break.
- Praise effort and planning, whatever the results.

## Results day and choices

- Be available around results: a message on the site the day after says you care.
- Look at options together: college courses, apprenticeships, retakes. There is always more than one route.
- Encourage them to talk to their school's careers adviser too.

## When to tell your coordinator

If a young person is very anxious, stops going to school, or mentions being bullied, tell your coordinator. If they may be at risk of harm, raise a concern with the safeguarding lead the same day."""

CLOSURE = """\
Every match ends. A good ending helps the young person keep what they gained, and shows them that relationships can end with care rather than by disappearing.

## Why endings matter

Many young people have seen adults leave without a word. Ending well, with a goodbye that was planned, is one of the most important things a mentor does.

## Planning the ending

1. Talk to your coordinator first, as early as you can.
2. Tell your mentee together with the coordinator, a few weeks ahead, with the reason in simple words.
3. Plan a last meeting: somewhere they choose.

## The last meeting

- Look back at what you did together and what they achieved: the goals page helps.
- Say what you valued about them, specifically.
- Talk about what comes next: who else they can turn to, what they want to keep doing.
- Say goodbye properly. Do not promise private contact afterwards.

## After

Your coordinator closes the match on the site and you both receive a short survey. For mentees, a new match may follow if they want one."""

GUARDIANS = """\
Thank you for letting your child take part. This guide answers the questions parents and guardians ask us most.

## How often will they meet?

Every two weeks for about a year, for an hour or so, in a public place or online. Meetings are planned on our site.

## Who is the mentor?

A volunteer from the city who has been interviewed, gave two references, had a criminal record (DBS) check and completed our training, including safeguarding.

## Will I know what is going on?

We email you when your child is matched and when the match ends. Every email links to your page on our site. Your child may share as much or as little about the meetings as they like.

## What if I am worried?

Use "Raise a concern" on your page, or call the program office. The safeguarding lead reads every concern the same day. In an emergency, call 999.

## Can I withdraw?

Yes, at any time, from your page, without giving a reason. The match stops at once and a coordinator contacts you."""

ABOUT = """\
City Youth Mentoring pairs young people aged 12 to 18 with adult volunteers from the city, for a year of meetings every two weeks, in person or online.

## For young people

A mentor is someone on your side: to talk things through, try new things, and plan what comes after school. It is free. Ask your school, youth worker or parent, or apply on this site.

## For volunteers

You need an hour every two weeks for a year, and to be 18 or over. We interview you, take up references and a criminal record check, and train you before you meet anyone. A coordinator supports you throughout.

## How we keep young people safe

Meetings are in public places or online; messages stay on our site; every mentor is checked and trained; parents and guardians give their consent and can raise a concern at any time.

## Contact

Questions? Once you have an account, message the coordinators from your program page; they answer within two working days."""

WHO_TO_CALL = """\
Whatever the program, if you are worried about a young person's safety:

1. **Immediate danger**: call **999**.
2. **The same day**: tell your program's safeguarding lead. Use "Raise a concern" on the match page; it reaches them at once.
3. **Out of hours**, if a child may be at risk tonight: call your local council's children's services emergency duty team.
4. **Advice** for adults worried about a child: the NSPCC helpline, 0808 800 5000 (free, every day).

Young people can call **Childline** on 0800 1111, any time, free and confidential.

Write down what you saw or heard, in the person's own words, with the date and time. Do not investigate yourself, and never promise to keep a disclosure secret."""

# (title, summary, topic, audience, body)
PAGES = [
    ("The program's safety rules", "Where pairs meet, how they keep in touch, and what to do when worried.",
     "safety", "program", SAFETY_RULES),
    ("Our match agreement", "What mentor and mentee agree at their second meeting.",
     "agreement", "program", AGREEMENT),
    ("First-meeting tips for mentors", "Before, during and after your first meeting.",
     "first_meeting", "mentors", FIRST_MEETING_MENTORS),
    ("Your first meeting: what to expect", "For young people meeting their mentor for the first time.",
     "first_meeting", "mentees", FIRST_MEETING_MENTEES),
    ("Setting goals together", "Turning a wish into a goal, and a goal into small steps.",
     "goals", "program", GOALS),
    ("50 activity ideas on a small budget", "Free and cheap things to do together, in person or online.",
     "activities", "program", ACTIVITIES),
    ("Conversation starters", "Open questions for the first meetings and for quiet days.",
     "guides", "mentors", CONVERSATION_STARTERS),
    ("Talking about school and exams", "Listening, encouraging, and when to tell your coordinator.",
     "guides", "mentors", SCHOOL_AND_EXAMS),
    ("Ending a match well", "Planning the ending, the last meeting, and after.",
     "closure", "program", CLOSURE),
    ("A guide for parents and guardians", "Answers to the questions parents and guardians ask most.",
     "guides", "guardians", GUARDIANS),
    ("About the program", "Who we are, who can take part, and how we keep young people safe.",
     "guides", "public", ABOUT),
]  # fmt: skip

STAFF_PAGE = ("Safeguarding: who to call", "Emergency, same day, out of hours: the numbers every program needs.",
              "safety", "program", WHO_TO_CALL)  # fmt: skip

# (title, summary, topic, audience, url)
LINKS = [
    ("MENTOR: the National Mentoring Partnership",
     "Research, toolkits and the Elements of Effective Practice for youth mentoring programs.",
     "guides", "mentors", "https://www.mentoring.org/"),
    ("NSPCC: safeguarding and child protection",
     "The UK children's charity: recognising abuse, responding to a disclosure, and its helpline.",
     "safety", "program", "https://www.nspcc.org.uk/"),
]  # fmt: skip

# The printable one-page version of the safety rules (a PDF, built by resources.safety_rules_pdf).
PDF_TITLE = "Safety rules - one page to print"
PDF_LINES = [
    "City Youth Mentoring: the safety rules",
    "",
    "MEETINGS",
    "- Meet in public places (library, cafe, museum, park in daylight) or online.",
    "- Never at your home or the young person's home, never anywhere private.",
    "- Plan every meeting on the site's meetings page.",
    "- No car lifts alone.",
    "",
    "CONTACT",
    "- Keep contact in the site's messages: no private phone numbers, email or social media.",
    "- Phone numbers in messages are held back until a coordinator releases them.",
    "- No messages after 9 pm or during school hours.",
    "",
    "GIFTS AND MONEY",
    "- No gifts, no money, no loans, either way. Ask before any activity that costs money.",
    "- No photos of your mentee online.",
    "",
    "IF YOU ARE WORRIED",
    "- Listen. Do not promise to keep it secret.",
    "- Tell the safeguarding lead the same day: 'Raise a concern' on your match page.",
    "- In an emergency, call 999 first.",
    "",
    "Questions? Ask your coordinator. Thank you for keeping our young people safe.",
]
