# ruff: noqa: E501 - a paragraph is one line: a line break inside one shows as a break.
"""What the demo's partners, demographic questions and stories say (evaluation/demo/impact.py
builds them). Stories name nobody but their author (through the byline, when they consent): a
mentor's story says "my mentee", never a young person's name.
"""

# --- Local partners of City Youth Mentoring ----------------------------------------------------------

# (name, kind, contact's name, contact's email (None: the demo's partner login), phone, notes)
PARTNERS = [
    (
        "Northside Academy",
        "school",
        "Joanne Pike",
        None,
        "0117 496 0321",
        "Secondary school and sixth form in Northside. Joanne (head of careers) refers Year 9 to Year 13 students and hosts a Tuesday drop-in for pairs in the library.",
    ),
    (
        "Harbour Logistics",
        "business",
        "Marcus Bell",
        "marcus.bell@harbour-logistics.example",
        "0117 496 0788",
        "Freight and warehousing firm on the harbour. Gives staff an hour a fortnight of paid volunteering time to mentor; Marcus (people and culture) promotes the program internally.",
    ),
]
PARTNER_CONTACT_NAME = "Joanne Pike"
# A student the academy referred, invited by the coordinator and not signed up yet.
REFERRAL_NOTE = "Joanne at Northside Academy passed on your details: she thinks you would get a lot out of having a mentor."

# --- Optional demographic questions ------------------------------------------------------------------
# (topic, question, options, weights of the options, weight of "prefer not to say",
#  (weight, words) of answers in the person's own words). Answers go to most people, a few skip a
# question or the whole form. The small weights give groups of fewer than five: the equity report
# shows those as "fewer than 5".

QUESTIONS = [
    (
        "gender",
        "How would you describe your gender?",
        ["Woman or girl", "Man or boy", "Non-binary"],
        [47, 43, 3],
        4,
        (2, ["Genderfluid", "Agender", "Still working it out"]),
    ),
    (
        "ethnicity",
        "What is your ethnic group?",
        [
            "Asian or Asian British",
            "Black, Black British, Caribbean or African",
            "Mixed or multiple ethnic groups",
            "White",
            "Arab",
            "Another ethnic group",
        ],
        [18, 15, 8, 42, 3, 2],
        6,
        (4, ["British Somali", "Kurdish", "Roma", "Irish Traveller", "British Bangladeshi"]),
    ),
    (
        "first_gen",
        "Are you (or were you) the first in your family to go to university?",
        ["Yes", "No", "I'm not sure"],
        [48, 38, 4],
        4,
        (2, ["My older sister went first", "My parents studied abroad"]),
    ),
    (
        "home_language",
        "Which language do you mostly speak at home?",
        ["English", "Polish", "Urdu", "Arabic", "Somali", "Spanish", "Portuguese", "More than one, equally"],
        [55, 7, 7, 6, 4, 4, 2, 8],
        2,
        (3, ["Bengali", "Tigrinya", "British Sign Language"]),
    ),
    (
        "neighbourhood",
        "Which part of the city do you live in?",
        None,  # the program's areas, and "Outside the city"
        None,
        5,
        (2, ["Between Old Town and the harbour", "Moving between two homes"]),
    ),
]
OUTSIDE_THE_CITY = "Outside the city"

# --- Stories -----------------------------------------------------------------------------------------
# Each: (title, text). The closed pair's and the pilot's at closure; the running pairs' at any time.

CLOSED_MENTEE = (
    "From not talking in class to my college interview",
    "When I started I didn't really know what I wanted to do after school, and I hated speaking in front of people. My mentor never told me what to do. We made a list of the things I was good at and the things I wanted to try, and every fortnight we picked one.\n\nWe practised interview questions in the library until I could answer without reading my notes. In the spring I got an interview for the engineering course at the college, and I got in.\n\nWhat I'll remember is that someone who didn't have to turned up every two weeks for a whole year, just for me.",
)
CLOSED_MENTOR = (
    "A year of Tuesdays",
    "I signed up because a colleague kept talking about it, and honestly I wasn't sure I'd have anything useful to say to a teenager. The training helped, but what helped most was the coordinator's advice at the start: listen more than you talk.\n\nFor the first couple of months our meetings were short and a bit awkward. Then we found a shared love of terrible science-fiction films and things got easier. We worked on a CV, on a plan for college, and on the much harder thing, which was believing that a plan was possible. There were weeks when school was tough and we just walked round the park and talked.\n\nWatching my mentee walk into a college interview on their own, prepared and calm, is one of the proudest moments I've had, and I didn't even do the hard part. I'd recommend mentoring to anyone who thinks they're not the type. I didn't think I was either.",
)
# The coordinator's shorter version, which the mentor approved (published instead of the text).
CLOSED_MENTOR_EDITED = "I signed up not sure I'd have anything useful to say to a teenager. The best advice I got was to listen more than you talk.\n\nWe worked on a CV, on a plan for college, and on the harder thing: believing that a plan was possible. Watching my mentee walk into a college interview on their own, prepared and calm, is one of the proudest moments I've had.\n\nI'd recommend mentoring to anyone who thinks they're not the type. I didn't think I was either."

PAIR_MENTEE_FEATURED = (
    "Someone in my corner",
    "My mum works nights and my older brother moved away, so there wasn't really anyone to ask about jobs or college. My mentor works in a hospital lab and showed me that science jobs aren't only being a doctor.\n\nWe went to the university open day together and I asked questions I would have been too nervous to ask on my own. My chemistry grade went up from a 4 to a 6 this year. I still have a lot to work out, but now I know I can ask.",
)
PAIR_MENTOR_SHARED = (
    "What I got out of it",
    "People assume mentoring is about what you give. For me it has been just as much about what I've learned: how different school is now, how much pressure young people carry, and how much can change when somebody simply believes in them.\n\nMy mentee set a goal of opening a bank account and sticking to a budget. Being shown a savings spreadsheet they had built themselves made my month.",
)
PAIR_MENTEE_WAITING = (
    "Getting my first Saturday job",
    "I wanted a Saturday job but I didn't have a CV and didn't know how to talk to managers. My mentor helped me write one and we practised what to say when you hand it in.\n\nI got a job at the bakery on the high street and I've been there three months now. I'm saving for a laptop for college.",
)
PAIR_MENTOR_PRIVATE = (
    "Harder than I expected",
    "The honest version, for the coordinators: the first months were hard. My mentee cancelled a lot and I wondered if I was doing something wrong. The check-in call helped me see that it wasn't about me.\n\nThings are better since we moved our meetings to Saturday mornings at the library. I'm glad I stuck with it, but I'd like more guidance on what to do when a young person goes quiet.",
)
PAIR_MENTOR_PROPOSED = (
    "Small steps, big difference",
    "When we first met, my mentee wanted to be an electrician but thought you had to be good at exams to get an apprenticeship. We looked up the routes together, visited the training centre at the college, and met an electrician I know from work for a coffee.\n\nSince then my mentee has done a week's work experience with a local firm, passed their maths resit and applied for two apprenticeships. None of this was me; I just helped find the doors.\n\nI'd tell any new mentor: don't worry about having the answers. Be reliable, be curious, and turn up.",
)
# A coordinator's shorter version, waiting for the mentor's approval.
PAIR_MENTOR_PROPOSAL = "My mentee wanted to be an electrician but thought you needed top exam grades for an apprenticeship. We looked up the routes together and visited the college's training centre.\n\nSince then they've done a week's work experience, passed their maths resit and applied for two apprenticeships. I just helped find the doors. Don't worry about having the answers: be reliable, be curious, and turn up."

# Eastside Girls Who Code's pilot group (closed about ten months ago).
PILOT_KEMI = (
    "Why I stayed",
    "I joined the pilot because my teacher said there would be free pizza. I stayed because for the first time I was in a room full of girls who liked the same things as me. Our mentors worked in tech and they were honest about the bad bits too.\n\nBy the end I had built an app that reminds my little brother to take his inhaler. Three months on I'm studying computing at college and I help at the after-school code club on Thursdays, because I want other girls to have what I had.",
)
PILOT_LAUREN = (
    "We built something real",
    "Before the group I thought coding was for boys who play video games all night. In the pilot we built a website for the youth centre's food bank, and people actually use it. The mentors never made us feel stupid for asking questions.\n\nI'd tell any girl who is unsure to just come to one session.",
)
PILOT_MIRA = (
    "Feedback for the team",
    "I enjoyed the sessions, but the Saturday ones clashed with my job so I missed quite a few. Notes or recordings for people who can't come would help. The mentors were great.",
)
PILOT_LEADER = (
    "Why I'll lead a group again",
    "I've worked as a developer for twelve years and I've rarely had another woman on my team. Leading the pilot group was my way of doing something about that.\n\nFor six months I watched a group of teenagers go from \"I can't do this\" to arguing about the best way to structure a database. Not every session went to plan, and we learned to keep the laptops charged and the snacks plentiful. I'll lead a group again in a heartbeat.",
)
