"""The people actor: members, invites, signed-in browsers and tokens for other offices.

Accepts: :class:`Accept`, :class:`WhoIs`, :class:`SignOut`, :class:`MakeInvite`,
:class:`OwnerLink`, :class:`ListMembers`, :class:`Revoke`, :class:`SetRooms`,
:class:`MakeOfficeToken`, :class:`ListOfficeTokens`, :class:`RevokeOfficeToken`,
:class:`CheckOfficeToken`. Owns ``people.json``; stores only hashes of secrets.

Invites are single-use and expire. Accepting one creates a member (or, for a device
invite, signs an existing member in on a new device) and returns a fresh session secret
for the browser's cookie. Revoking a member ends all their sessions at once.

Restart: permanent. A corrupt ``people.json`` stops the start (it is never replaced by an
empty one, which would lock everybody out or, worse, hand the office to the next visitor).
Shutdown: ``last seen`` times are flushed.
"""

from __future__ import annotations

from typing import Any

import attrs
import trio

from isomux import wire
from isomux.actors import ActorContext, Reply, serve
from isomux.domain.ids import new_id, now_ms
from isomux.domain.people import (
    Invite,
    Member,
    MemberView,
    OfficeToken,
    PeopleState,
    Person,
    Role,
    SignIn,
    digest,
    new_secret,
)
from isomux.errors import Conflict, CorruptFile, Forbidden, InvalidInput, NotFound
from isomux.services import Services
from isomux.store.atomic import read_json, write_json_atomic

FIRST_START = "first start"
_ADVICE = "Isomux will not start over it: restore it from a backup, or move it aside to set up sign-in again."


@attrs.frozen(eq=False)
class Accept:
    token: str
    name: str | None
    device: str
    reply: Reply[tuple[str, Person]]


@attrs.frozen(eq=False)
class WhoIs:
    session: str
    reply: Reply[Person | None]


@attrs.frozen(eq=False)
class SignOut:
    session: str
    reply: Reply[None]


@attrs.frozen(eq=False)
class MakeInvite:
    role: Role
    rooms: tuple[str, ...] | None
    name: str | None
    ttl: float
    by: str
    reply: Reply[str]
    member_id: str | None = None


@attrs.frozen(eq=False)
class OwnerLink:
    ttl: float
    reply: Reply[str | None]


@attrs.frozen(eq=False)
class ListMembers:
    reply: Reply[tuple[MemberView, ...]]


@attrs.frozen(eq=False)
class Revoke:
    member_id: str
    reply: Reply[None]


@attrs.frozen(eq=False)
class SetRooms:
    member_id: str
    rooms: tuple[str, ...] | None
    reply: Reply[MemberView]


@attrs.frozen(eq=False)
class MakeOfficeToken:
    label: str
    reply: Reply[tuple[str, OfficeToken]]


@attrs.frozen(eq=False)
class ListOfficeTokens:
    reply: Reply[tuple[OfficeToken, ...]]


@attrs.frozen(eq=False)
class RevokeOfficeToken:
    token_id: str
    reply: Reply[None]


@attrs.frozen(eq=False)
class CheckOfficeToken:
    token: str
    reply: Reply[OfficeToken | None]


PeopleMsg = (
    Accept
    | WhoIs
    | SignOut
    | MakeInvite
    | OwnerLink
    | ListMembers
    | Revoke
    | SetRooms
    | MakeOfficeToken
    | ListOfficeTokens
    | RevokeOfficeToken
    | CheckOfficeToken
)


def load_people(path: Any) -> PeopleState:
    data = read_json(path, advice=_ADVICE)
    if data is None:
        return PeopleState()
    try:
        return wire.structure(data.get("state") if isinstance(data, dict) else None, PeopleState)
    except InvalidInput as exc:
        raise CorruptFile(path, str(exc), advice=_ADVICE) from None


class People:
    def __init__(self, services: Services, state: PeopleState) -> None:
        self.s = services
        self.members = {m.id: m for m in state.members}
        self.invites = {i.hash: i for i in state.invites}
        self.sign_ins = {x.hash: x for x in state.sign_ins}
        self.tokens = {t.id: t for t in state.tokens}
        self.dirty = False

    def state(self) -> PeopleState:
        now = now_ms()
        return PeopleState(
            members=tuple(self.members.values()),
            invites=tuple(i for i in self.invites.values() if i.used_at is None and i.expires_at > now),
            sign_ins=tuple(x for x in self.sign_ins.values() if x.revoked_at is None),
            tokens=tuple(self.tokens.values()),
        )

    async def save(self) -> None:
        data = {"version": 1, "state": wire.unstructure(self.state())}
        await trio.to_thread.run_sync(write_json_atomic, self.s.layout.home / "people.json", data)
        self.dirty = False

    def _live_member(self, member_id: str) -> Member:
        member = self.members.get(member_id)
        if member is None or member.revoked_at is not None:
            raise NotFound(f"there is no member {member_id!r}")
        return member

    def person(self, sign_in: SignIn) -> Person | None:
        member = self.members.get(sign_in.member_id)
        if member is None or member.revoked_at is not None or sign_in.revoked_at is not None:
            return None
        return Person(
            member_id=member.id, name=member.name, device=sign_in.device, role=member.role, rooms=member.rooms
        )

    def view(self, member: Member) -> MemberView:
        devices = tuple(x.device for x in self.sign_ins.values() if x.member_id == member.id and x.revoked_at is None)
        return MemberView(
            id=member.id,
            name=member.name,
            role=member.role,
            rooms=member.rooms,
            devices=devices,
            created_at=member.created_at,
        )

    def has_owner(self) -> bool:
        return any(m.role == "owner" and m.revoked_at is None for m in self.members.values())

    async def accept(self, msg: Accept) -> tuple[str, Person]:
        now = now_ms()
        invite = self.invites.get(digest(msg.token))
        if invite is None or invite.used_at is not None or invite.expires_at <= now:
            raise Forbidden("this invite is not valid: it was already used, it has expired, or it was mistyped")
        if invite.member_id is not None:
            member = self._live_member(invite.member_id)
        else:
            name = (invite.name or msg.name or "").strip()
            if not name:
                raise InvalidInput("tell the office your name")
            if any(m.name.casefold() == name.casefold() and m.revoked_at is None for m in self.members.values()):
                raise Conflict(f"someone called {name} is already a member; choose another name")
            member = Member(id=new_id("p"), name=name, role=invite.role, rooms=invite.rooms, created_at=now)
            self.members[member.id] = member
        self.invites[invite.hash] = attrs.evolve(invite, used_at=now)
        session = new_secret("ixs")
        sign_in = SignIn(hash=digest(session), member_id=member.id, device=msg.device, created_at=now, last_seen=now)
        self.sign_ins[sign_in.hash] = sign_in
        await self.save()
        person = self.person(sign_in)
        assert person is not None
        return session, person

    async def make_invite(self, msg: MakeInvite) -> str:
        if msg.member_id is not None:
            self._live_member(msg.member_id)
        token = new_secret("ixi")
        now = now_ms()
        self.invites[digest(token)] = Invite(
            hash=digest(token),
            role=msg.role,
            rooms=msg.rooms,
            name=msg.name,
            member_id=msg.member_id,
            created_at=now,
            expires_at=now + int(msg.ttl * 1000),
            created_by=msg.by,
        )
        await self.save()
        return token

    async def handle(self, msg: PeopleMsg) -> None:
        if isinstance(msg, Accept):
            msg.reply.send(await self.accept(msg))
        elif isinstance(msg, WhoIs):
            sign_in = self.sign_ins.get(digest(msg.session))
            person = self.person(sign_in) if sign_in is not None else None
            if sign_in is not None and person is not None:
                self.sign_ins[sign_in.hash] = attrs.evolve(sign_in, last_seen=now_ms())
                self.dirty = True
            msg.reply.send(person)
        elif isinstance(msg, SignOut):
            sign_in = self.sign_ins.get(digest(msg.session))
            if sign_in is not None:
                self.sign_ins[sign_in.hash] = attrs.evolve(sign_in, revoked_at=now_ms())
                await self.save()
            msg.reply.send(None)
        elif isinstance(msg, MakeInvite):
            msg.reply.send(await self.make_invite(msg))
        elif isinstance(msg, OwnerLink):
            await self.owner_link(msg)
        elif isinstance(msg, ListMembers):
            msg.reply.send(tuple(self.view(m) for m in self.members.values() if m.revoked_at is None))
        elif isinstance(msg, Revoke):
            await self.revoke(msg)
        elif isinstance(msg, SetRooms):
            member = self._live_member(msg.member_id)
            if member.role == "owner":
                raise Conflict("owners see every room")
            self.members[member.id] = member = attrs.evolve(member, rooms=msg.rooms)
            await self.save()
            msg.reply.send(self.view(member))
        else:
            await self.tokens_msg(msg)

    async def owner_link(self, msg: OwnerLink) -> None:
        if self.has_owner():
            msg.reply.send(None)
            return
        for key, invite in list(self.invites.items()):
            if invite.created_by == FIRST_START:
                del self.invites[key]  # only the newest first-start link works
        msg.reply.send(await self.make_invite(MakeInvite("owner", None, None, msg.ttl, FIRST_START, Reply())))

    async def revoke(self, msg: Revoke) -> None:
        member = self._live_member(msg.member_id)
        if (
            member.role == "owner"
            and sum(m.role == "owner" and m.revoked_at is None for m in self.members.values()) == 1
        ):
            raise Conflict("the last owner cannot be removed")
        now = now_ms()
        self.members[member.id] = attrs.evolve(member, revoked_at=now)
        for key, sign_in in list(self.sign_ins.items()):
            if sign_in.member_id == member.id:
                self.sign_ins[key] = attrs.evolve(sign_in, revoked_at=now)
        await self.save()
        msg.reply.send(None)

    async def tokens_msg(self, msg: Any) -> None:
        if isinstance(msg, MakeOfficeToken):
            token = new_secret("ixo")
            record = OfficeToken(id=new_id("t"), hash=digest(token), label=msg.label, created_at=now_ms())
            self.tokens[record.id] = record
            await self.save()
            msg.reply.send((token, record))
        elif isinstance(msg, ListOfficeTokens):
            msg.reply.send(tuple(t for t in self.tokens.values() if t.revoked_at is None))
        elif isinstance(msg, RevokeOfficeToken):
            found = self.tokens.get(msg.token_id)
            if found is None or found.revoked_at is not None:
                raise NotFound(f"there is no token {msg.token_id!r}")
            self.tokens[found.id] = attrs.evolve(found, revoked_at=now_ms())
            await self.save()
            msg.reply.send(None)
        elif isinstance(msg, CheckOfficeToken):
            wanted = digest(msg.token)
            msg.reply.send(next((t for t in self.tokens.values() if t.hash == wanted and t.revoked_at is None), None))


async def _flush(people: People) -> None:
    while True:
        await trio.sleep(60)
        if people.dirty:
            await people.save()


async def run_people(
    ctx: ActorContext[PeopleMsg], *, services: Services, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
) -> None:
    state = await trio.to_thread.run_sync(load_people, services.layout.home / "people.json")
    people = People(services, state)
    task_status.started()
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_flush, people)
            await serve(ctx, people.handle)
            nursery.cancel_scope.cancel()
    finally:
        if people.dirty:
            with trio.move_on_after(5, shield=True):
                await people.save()
