# English lexicon of the transcript reader.
# Format: see transcript/src/lexicon.rs. Weights: 1 = a clear but
# mild signal, 2 = a strong one; a signal counts from 1 (after negation,
# intensifiers, shouting and recency).
@spaces yes

[frustrated]
2 ridiculous
2 unacceptable
2 terrible
2 horrible
2 awful
2 worst
2 useless
2 pathetic
2 disgusting
2 furious
2 outraged
2 livid
2 angry
1.5 annoyed
1.5 annoying
2 frustrated
2 frustrating
2 frustration
1.5 disappointed
1.5 disappointing
1.5 upset
2 fed up
1.5 one more time and i'm gone
1.5 once more and i'm gone
2 sick of
2 sick and tired
2 had enough
2 this is a joke
2 what a joke
2 scam
2 rip off
2 ripoff
2 incompetent
2 waste of time
2 wasting my time
1.5 waste of my time
2 thanks for nothing
2 thank you for nothing
2 thank you so much for nothing
2 thanks so much for nothing
2 thanks a lot for nothing
2 just great
2 oh great
1.5 great job guys
1.5 wow thanks a lot
1.5 yeah right
1.5 sure you will
2 nobody helps
2 no one helps
1.5 nobody can help
1.5 no one can help
1.5 nobody could help
1.5 no one could help
1.5 still not fixed
1.5 still not working
1.5 still broken
1.5 still doesn't work
1.5 still does not work
1.5 still isn't fixed
1.5 still not resolved
1.5 still no answer
1.5 still haven't
1.5 not what i expected
1.5 expected better
1.5 could have been better
2 not helpful
2 unhelpful
2 not acceptable
1.5 makes no sense
1.5 doesn't make sense
1 what is going on
1.5 what the hell
2 wtf
1.5 seriously?
1.5 are you kidding
1.5 you're kidding
1.5 kidding me
2 never again
1.5 keeps happening
1.5 i'm done
1.5 im done
1.5 last time i
1.5 hate
1.5 i hate
1 broken
1 complaint
1.5 complain
1.5 lied
1.5 lying
1.5 misleading
1 unfair
1 not fair
2 rude
1.5 ignored
1.5 ignoring me
1 doesn't work
1 does not work
1 not working
1 didn't work
1 did not work
1 nothing works
1 a mess
1.5 nightmare
1 confusing
1 slow
1 too slow
1.5 so slow
1 bad
2 unbelievable
1.5 unreal
1.5 can't believe
1.5 cannot believe
2 is a joke
1.5 a joke
2 do your job
2 doing your job
2 oh fantastic
2 oh brilliant
2 oh wonderful
2 oh perfect
1.5 poor service
2 very poor
1.5 poor
1.5 faulty
1.5 expect better
1.5 i'd expect better
1 with respect
1.5 i appreciate you're trying
1.5 i appreciate you're trying but
1.5 is anyone actually reading
1.5 is anyone reading
1.5 is anyone there
1.5 what is this
1.5 make that clearer
1.5 nobody would know
1.5 loophole
1.5 yeah whatever
1 whatever
1 missing
1.5 never arrived
1.5 charged twice
1.5 charged two times
1.5 charged me twice
1 clearly not
1.5 joke
2 not good enough
1.5 this is not ok
1.5 not okay
2 disgrace
1.5 shocking
2 appalling
2 atrocious
1.5 rubbish
2 crap
2 shit
2 bullshit
2 ffs
2 fuming
1.5 gutted
2 pissed
1.5 how hard can it be
1.5 how is that my fault
1.5 not my fault
1.5 your fault
1.5 you people
1 come on
1.5 typical
2 empty promises
1.5 keep promising
1 you said
1 you told me
1.5 no one bothered
1.5 didn't bother
1.5 i appreciate your help but
1.5 appreciate your help but
1.5 promised me a fix
1.5 promised a fix
1 non refundable
1.5 same thing
1.5 no one showed
1.5 nobody showed
1.5 nobody seems able
1.5 straight answer
1.5 not done
1.5 same issue
1.5 billed twice
1.5 told it's fixed
1.5 wasted trip
1.5 wasted
1.5 closed on me
1.5 i was promised
1 had to pay
1.5 deliberate
1.5 never agreed
2 pretty shady
1.5 shady
1.5 no one told me
1.5 nobody told me
1.5 only one person working
1 cannot log in
1 can't log in
1.5 please escalate
1.5 punish me
2 really let down
1.5 let down
2 not what i paid for
1.5 just a suggestion
1.5 not the first time
1.5 took the morning off
1.5 took the day off
1.5 paperwork on top
1.5 don't hold my breath
1.5 not holding my breath
1.5 believe it when i see
1.5 cool cool cool
1.5 really makes up for it
1.5 i expected more
1 like an idiot
0.5 we'll see
1.5 never would have thought
1 in a million years
1 the same answer
1 in the message above
1 should i just assume
1.5 tripadvisor
1.5 trustpilot
1.5 ombudsman
1.5 trading standards
1.5 small claims
1.5 my solicitor
1.5 my lawyer
1.5 a lawyer
1.5 the regulator
1.5 bad review
1.5 which department are you
1 fourth chat
1 third chat
1 4 tickets
1.5 copy paste
1.5 lovely evening ritual
1 incredible stuff
# Disappointment said without naming what went wrong (round 17).
2 not impressed
1.5 not great
1.5 waste of an afternoon
1.5 waste of a morning
1.5 waste of a day
1.5 waste of my afternoon
1.5 waste of my morning
1.5 waste of my day
1.5 wasted my afternoon
1.5 wasted my morning
1.5 wasted my day
# Something done to the customer unannounced ("you closed my account
# without warning"), a complaint whatever was done.
2 without warning
2 without any warning
2 with no warning
2 without any notice
1.5 without telling me
1.5 without asking me

[waited]
1.5 waiting for
1.5 waited for
1.5 been waiting
1.5 still waiting
1.5 keep waiting
1.5 kept waiting
1.5 on hold
1.5 hold for
1.5 on hold for
1.5 took forever
1.5 taking forever
1.5 takes forever
1.5 forever to
1 hours to
1 an hour
1 for hours
1 for days
1 for weeks
1 all day
1.5 transferred
1.5 transfered
1.5 passed around
1.5 passed from
1.5 bounced around
1.5 sent back and forth
1.5 back and forth
1.5 third time
1.5 3rd time
1.5 fourth time
1.5 fifth time
2 third time i'm contacting
2 third time contacting
2 third time i've contacted
2 third time i have contacted
2 3rd time i'm contacting
2 3rd time contacting
2 fourth time i'm contacting
2 fourth time contacting
1.5 again and again
1.5 over and over
1.5 every time i
1 contacted you
1.5 contacted you before
1.5 contacting you again
1.5 already told
1.5 already explained
1.5 explain again
1.5 repeat myself
1.5 repeating myself
1.5 same question
0.5 again
1 no response
1.5 no reply
1 nobody answered
1 never answered
1 never got back
1 days ago
1 weeks ago
1 still nothing
1.5 i've waited
1.5 waited nearly
1.5 whole days
1.5 two days
1.5 nearly a week
1 a week without
1.5 still nobody
1.5 nobody rang me back
1.5 nobody called me back
1.5 no one called me back
1.5 promised a callback
1.5 promised a call back
1 stuck in transit
1.5 passed to
1.5 different people
1.5 had to explain
1.5 three people
1.5 already attached
1 mins late
1 minutes late
1 hours late
1.5 hours on the phone
1.5 on the phone for
1.5 weeks later
1 days later
1.5 a week now
1.5 over a week
1 two weeks
1.5 still hasn't arrived
1 hasn't arrived
1.5 still no
1.5 no update
1.5 nobody got back
1.5 no one got back
1.5 haven't heard back
1.5 never heard back
1.5 chasing
1.5 chased
1.5 for the second time
1 second time
1 once again
1.5 as i said
1.5 like i said
1.5 as i mentioned
1.5 told you already
1.5 i already said
1.5 every agent
1.5 of waiting
1.5 more waiting
1 the whole day
1.5 has now been
1.5 now been
1.5 called four times
1.5 four times
1.5 each time i was told
1.5 each time i contact
1 every week
1.5 in a row
1.5 third month
1 hadn't arrived
1.5 in the queue
1.5 queue for
1.5 heard nothing
1.5 heard nothing since
1 a month ago
1.5 fifth message
1 following up
1 every time
1.5 times this week
1.5 rang times
1.5 still hasn't
1 hours long
1.5 then again
1.5 again on the
1 is stuck
2 nobody rang
2 no one rang
1.5 sitting in the depot
1.5 explained this to
1.5 three of your colleagues
1.5 been wearing the same
1.5 it is now the
1.5 it's now the
1 since monday
1 since tuesday
1 since wednesday
1 since thursday
1 since friday
1 since saturday
1 since sunday
1 since last week
1 all week
1.5 haven't had a single reply
1.5 not had a single reply
1.5 haven't had a reply
1.5 pending since
1.5 still pending
1 its 1
1 it's 1
1 its 2
1 it's 2
1 its 3
1 it's 3
1 its 4
1 it's 4
1 its 5
1 it's 5
1 its 6
1 it's 6
1 its 7
1 it's 7
1 its 8
1 it's 8
1 its 9
1 it's 9
1 its 10
1 it's 10
1 its 11
1 it's 11
1 its 12
1 it's 12

[cancel_intent]
2 i'm leaving
2 never buying
2 never ordering
2 leaving you
2 going elsewhere
2 never using
2 won't be ordering
2 wont be ordering
2 i won't be coming back
2 i wont be coming back
2 we won't be coming back
2 we wont be coming back
1.5 disconnect my
2 don't charge me again
2 dont charge me again
2 don't bill me again
2 cancel my
2 cancel the subscription
2 cancel the plan
2 cancel this subscription
2 cancel my subscription
2 cancel my account
2 cancel the account
2 cancelling my
2 canceling my
2 cancel everything
1.5 cancel
1.5 cancell*
1.5 cancellation
2 unsubscribe
2 close my account
2 delete my account
2 terminate my
2 end my subscription
2 stop my subscription
2 stop my membership
2 stop billing me
2 stop charging me
2 don't want it anymore
2 do not want it anymore
2 no longer need
2 no longer want
2 want out
1 switching to
1.5 switch to another
1.5 switching to another
1.5 opt out
1.5 downgrade to free
1.5 quit
1.5 want to leave
2 pac code
2 porting out
2 port my number
1.5 moving to another
1.5 moving to another network
2 turn off auto renew
2 turn off auto renewal
2 turn off the auto renewal
2 stop the auto renewal
2 stop auto renewal
2 cancel auto renew
2 cancel the auto renewal
2 don't renew
2 do not renew
2 not renewing
2 won't be renewing
2 never agreed to renew
1.5 found a cheaper
1.5 cheaper elsewhere
1.5 cheaper quote
1.5 cheaper deal
2 close the account
2 i'm switching
2 switching providers
2 stop my plan
2 end my contract
2 terminate the contract
2 don't want to continue
2 not continuing
2 not to renew
2 decided not to renew
2 auto renewal switched off
2 switch off auto renewal
2 close everything
1.5 how do i close
2 take this as my notice
1.5 my notice
2 closing this account
2 closing my account
2 moving my funds
2 don't need it anymore
2 stop the subscription
2 close account
2 end my membership
1.5 close our
2 nothing renews
2 don't auto-renew
2 dont auto-renew
2 don't auto renew
1.5 going with them
2 i'll be going with
2 end the contract
1.5 withdraw from
2 stop the monthly payments
2 stop charging my card
2 delete the account
2 notice period to leave
1.5 won't need the line
1.5 my last month
1.5 don't charge me
1.5 another supplier
1.5 another provider
1.5 the switch goes through
2 i'm done with it
1.5 done with it
2 don't want renewed
2 delete account
2 deleting the app
1.5 delete the app
1.5 uninstalling
1.5 stop it permanently
2 shall not be needing
1.5 not be needing
1.5 last month i'll be paying
2 stop it from renewing
1.5 covers more for less
2 don't want to see another charge
1.5 delete my acc
2 done w this app
2 done with this app
1.5 i've made up my mind
2 take my card details off
# "This is my last month", "I'm done with your service" (round 17).
2 my last month with you
2 my final month with you
2 done with your service
2 done with you guys
2 done with this company
2 done with your company

[leaving]
2 spending elsewhere
2 never buying from you again
2 never ordering from you again
2 never using you again
2 taking my business elsewhere
2 take my business elsewhere
2 done with you
2 done with this brand
2 signing up with another
2 last month with you
2 signed up with another


[grateful]
1.5 thank you
1.5 thanks
1.5 thanks again
1 thx
1 ty
1.5 thank u
1.5 many thanks
2 thanks a lot
2 thank you so much
2 really appreciate
1.5 appreciate
1.5 appreciated
1.5 grateful
1.5 perfect
1.5 awesome
1.5 excellent
1.5 wonderful
1 great
1 amazing
1.5 great help
1.5 very helpful
1.5 super helpful
1 helpful
1.5 that fixed it
1.5 fixed it
1.5 that worked
1.5 it works now
1.5 works now
1.5 working now
1.5 all good
1.5 all sorted
1.5 sorted
1.5 problem solved
1.5 solved
1 resolved
1 happy
1 satisfied
1 glad
1 nice
1 quick
1 fast
1 good
1.5 legend
2 lifesaver
2 life saver
2 you're a star
1.5 brilliant
1 spot on
2 much appreciated
1 cheers
1 no worries
1 no rush
2 oh great cheers

[neutral]
# Apologising for one's own tone takes back the anger it names ("sorry
# I was rude earlier, thank you"): the phrase says nothing. (A mask
# matches only its exact words: "sorry, I got a really angry reply" is
# a complaint.)
sorry i was rude
sorry i was so rude
sorry for being rude
sorry for being so rude
apologies for being rude
sorry for my tone
sorry about my tone
apologies for my tone
sorry i was short with you
sorry for snapping
sorry i snapped
sorry i got angry
sorry i got so angry
sorry for getting angry
sorry for being grumpy
sorry for the rant
sorry for ranting
sorry for shouting
i was rude
i was so rude
i was a bit rude
i came across as rude
apologize for being rude
apologise for being rude
leaving you a
leaving you 5
leaving you five
leaving for
i'm leaving for
im leaving for
we're leaving for
we are leaving for
i am leaving for
going elsewhere for
not leaving
not going elsewhere
not bad
not too bad
no problem
no problems
no worries
no rush
not a problem
don't worry
no complaints
can't complain
cannot complain
not complaining
no longer waiting
was going to cancel
were going to cancel
thought about cancel
thinking about cancel
thinking of cancel
almost cancel
nearly cancel
don't want to cancel
do not want to cancel
no need to cancel
not cancel
won't cancel
don't cancel
not going to cancel
how do i cancel an order
cancel the order
cancel my order
cancel an order
slow down
quick question
fast shipping
bad weather
hold on
cancel that
never mind
good morning
good afternoon
good evening
hate to bother
hate to ask
my bad
not bad at all
great question
good to know
cancel order
cancel the booking
cancel my booking
cancel booking
cancel my delivery
cancel the delivery
cancel delivery
cancel my reservation
cancel the reservation
cancel my table
if i cancel
if i cancelled
if i ever cancel
if i ever cancelled
what happens if i cancel
not planning to
not a complaint
switch to another app
thanks but no thanks
no thanks
curious
no hurry
take your time
not urgent
not upset
not angry
not mad
i'm not complaining
was cancelled
got cancelled
been cancelled
flight was cancelled
cancel my appointment
cancel the appointment
cancel my dental
cancel my session
cancel my class
cancel my trip
cancel my flight
cancel my ticket
cancel my payment
cancel the payment
cancel my transfer
cancel the transfer
do i need to close
i'd appreciate that
i would appreciate
i'd appreciate it if
close the ticket
close this ticket
close ticket
cancelled on me
canceled on me
driver cancelled
driver canceled
cancel tomorrows
cancel tomorrow's
and move it to
frustration-free
frustration free
wanted
flying
but also

[sarcasm]
1.5 cheers really helpful
1.5 really helpful not
1.5 love how
1.5 classy
1 another week
1 another day
1 as always
1.5 love paying
1.5 love that for me
1.5 very reassuring
1.5 how reassuring
1.5 amazing system
1.5 makes total sense
1.5 super customer focused
1.5 love getting up
1 generous
1 cheers for clearing that up
1.5 10/10
1.5 great service, really
1.5 great service really

[retract]
i'll stay with
i will stay with
ignore my last message
ignore that
ignore what i said
ignore what i just said
scratch that
disregard that
disregard my last
wrong chat
wrong window
i take that back
never mind that
cancel that last message
cancel my last message
that was meant for
meant for someone else
wrong person
i'll keep both
i'll keep it
i will keep it
wrong group
not talking to you

[contrast]
but
however

[conditionals]
if i ever
if i were
if i was
if i decide
if i decided
what happens if
hypothetically
in case i
should i ever
if we ever
if one day
if someday
whether i

[oneoff]
car rental
hire
order
orders
booking
table
appointment
reservation
flight
ticket
tickets
session
class
lesson
trip
delivery
physio
dentist
consultation
viewing
rebook
reschedule
rearrange
item
parcel
payment
transfer
train
hotel
room
visit
slot
pickup
collection
new one
replacement
email
emails
newsletter
newsletters
promotions
marketing
sms
card

[standing]
account
billing
subscription
membership
plan
contract
service
renewal
premium
policy
broadband
everything

[nows]
it's now
its now
it is now
today is

[reported]
# Someone else's words: what follows one of these with a [reporters]
# word up to about three words before it is not the customer's complaint
# ("my mate keeps saying your app is a nightmare"), to the end of its
# clause or where the customer speaks again ("and", "I"). Weightless.
# Not "told": "my wife and I were told", "my husband told you three times".
says
said
saying
thinks
reckons
calls
swears

[reporters]
# Possessed: "kids menu", "delivery partner" and "mate, I..." are not
# someone reporting.
my mate
my mates
a mate
my friend
my friends
a friend
my mum
my mom
my mam
my mother
my dad
my father
my son
my daughter
my wife
my husband
my hubby
my partner
my boyfriend
my girlfriend
my brother
my sister
my flatmate
my roommate
my housemate
my gran
my grandma
my nan
my grandad
my grandpa
my kids
our kids
my neighbour
my neighbor
my aunt
my auntie
my uncle
my cousin

[ifs]
if

[negators]
not
# Two words, together only: "rather" alone would deny "I'd rather
# just cancel", "instead" alone "so instead I'll cancel".
instead of
rather than
no
never
don't
dont
doesn't
doesnt
didn't
didnt
isn't
isnt
wasn't
wasnt
aren't
arent
weren't
can't
cant
cannot
couldn't
won't
wont
haven't
hasn't
hardly
nothing
without
nor

[intensifiers]
1.5 very
1.5 so
1.5 really
2 extremely
1.5 super
2 absolutely
2 totally
2 completely
2 incredibly
1.5 too
1.5 such
1.5 utterly

# A leaving phrase after one of these in its sentence is a threat, not
# leaving ("sort it out or I'm not renewing"); so is one after "if" ("if
# it isn't fixed by Friday I'm leaving").
[threats]
unless
one more time and
once more and
happens again and
or i'll
or i'm
or i will
or else
or we'll
or we will
# Courtesies and requests: with one of these before a leaving phrase in
# its sentence, an "if" makes no threat ("If you don't mind, I'd like to
# close my account", "if that's not possible, please just close it").
[courtesies]
if you don't mind
if you dont mind
if possible
if it's possible
if that's possible
if that's ok
if that's okay
if i'm honest
# ("Even if you refund me, I'm leaving" is said on no condition; "if
# that's the case" decides; after "checked" or "asked", "if" is
# "whether".)
even if
if that's the case
if so
checked if
check if
asked if
ask if
wondering if
wondered if
see if
know if
not sure if
not too much trouble
please
pls
